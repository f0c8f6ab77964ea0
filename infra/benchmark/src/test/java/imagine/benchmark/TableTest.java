package imagine.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TableTest {

    @Test
    void rendersOneLinePerRowAndEscapesPipes() {
        String table = Table.markdown(List.of(new Row("1. webhook", "p50 | p99", "1 ms\n2 ms", "met")));

        assertThat(table).isEqualTo("""
                | section | measure | value | target |
                |---|---|---|---|
                | 1. webhook | p50 \\| p99 | 1 ms 2 ms | met |
                """);
    }
}
