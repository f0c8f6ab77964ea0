package imagine.benchmark;

import java.util.List;

/** Renders rows as a Markdown table. */
final class Table {
    private Table() {
    }

    static String markdown(List<Row> rows) {
        StringBuilder out = new StringBuilder("| section | measure | value | target |\n|---|---|---|---|\n");
        for (Row row : rows) {
            out.append("| ").append(cell(row.section()))
                    .append(" | ").append(cell(row.measure()))
                    .append(" | ").append(cell(row.value()))
                    .append(" | ").append(cell(row.target()))
                    .append(" |\n");
        }
        return out.toString();
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
