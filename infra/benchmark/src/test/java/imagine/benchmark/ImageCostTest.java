package imagine.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ImageCostTest {
    private static final Prices PRICES = new Prices(0.00001, 0.000001, 0.0000004, 0.000005, 0.0000004, 0.000001);

    @Test
    void lambdaCostIsGigabyteSecondsPlusRequests() {
        ImageCost cost = new ImageCost(1.0, 5.0, 1, 0.01, 0.25, 0, 0, 0);

        assertThat(cost.lambda(PRICES)).isCloseTo(5.01 * 0.00001 + 1.25 * 0.000001, within(1e-12));
    }

    @Test
    void totalAddsQueueStorageAndApiRequests() {
        ImageCost cost = new ImageCost(0.5, 2.0, 1, 0, 0.25, 0.5, 6, 2);

        double expected = 0.5 * 2.0 * 0.00001 + 1.25 * 0.000001
                + 0.5 * 0.0000004 + 6 * 0.000005 + 2 * 0.0000004 + 0.25 * 0.000001;
        assertThat(cost.total(PRICES)).isCloseTo(expected, within(1e-12));
    }
}
