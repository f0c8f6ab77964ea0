package imagine.benchmark;

/**
 * One line of the results table.
 *
 * @param target the goal and whether this run met it, or empty when the row has no target
 */
record Row(String section, String measure, String value, String target) {

    static Row of(String section, String measure, String value) {
        return new Row(section, measure, value, "");
    }
}
