package imagine.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RateLimitTest {

    @Test
    void callersWaitingTheirTurnAreSpacedByTheRateOnceTheBurstIsSpent() {
        RateLimit limit = new RateLimit(10, 2);

        assertThat(limit.reserve(0)).isZero();
        assertThat(limit.reserve(0)).isZero();
        assertThat(limit.reserve(0)).isCloseTo(0.1, within(1e-12));
        assertThat(limit.reserve(0)).isCloseTo(0.2, within(1e-12));
        assertThat(limit.reserve(1)).isEqualTo(1);
    }

    @Test
    void aRefusedCallerTakesNothingAndTokensPromisedToWaitersAreNotHandedOut() {
        RateLimit limit = new RateLimit(1, 1);

        assertThat(limit.tryTake(0)).isTrue();
        assertThat(limit.tryTake(0.5)).isFalse();
        assertThat(limit.reserve(0.5)).isCloseTo(1, within(1e-12));
        assertThat(limit.tryTake(1.5)).isFalse();
        assertThat(limit.tryTake(2)).isTrue();
    }
}
