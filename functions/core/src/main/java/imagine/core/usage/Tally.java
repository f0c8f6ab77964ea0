package imagine.core.usage;

/** Where the day's operations counts go ({@link DailyCounts}), or nowhere. */
public interface Tally {
    Tally NONE = (key, names) -> { };

    /** Adds one to each of {@code names} today; {@code key} (a job, an update) spreads writers over documents. */
    void add(String key, String... names);
}
