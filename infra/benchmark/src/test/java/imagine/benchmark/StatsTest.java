package imagine.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StatsTest {

    @Test
    void percentilesUseTheNearestRank() {
        Stats stats = Stats.of(new long[] {5, 1, 4, 2, 3});

        assertThat(stats.percentile(50)).isEqualTo(3);
        assertThat(stats.percentile(99)).isEqualTo(5);
    }
}
