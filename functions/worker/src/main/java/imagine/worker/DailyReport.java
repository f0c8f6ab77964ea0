package imagine.worker;

import imagine.core.Catalog;
import imagine.core.Model;
import imagine.core.QueueDepth;
import imagine.core.Texts;
import imagine.core.usage.DailyCounts;
import imagine.core.usage.DailySpend;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code /stats}: what the bot did today (UTC) from today's counts ({@link DailyCounts}), the day's spend against its
 * budget ({@link DailySpend}) and the queues' depths, in the admin's language.
 */
final class DailyReport {
    static final List<String> REFUSALS = List.of("allow_list", "blocked_term", "quota", "budget");

    private final DailyCounts counts;
    private final DailySpend spend;
    private final Queues queues;
    private final Catalog catalog;

    DailyReport(DailyCounts counts, DailySpend spend, Queues queues, Catalog catalog) {
        this.counts = counts;
        this.spend = spend;
        this.queues = queues;
        this.catalog = catalog;
    }

    String text(Texts texts) {
        String day = counts.today();
        DailyCounts.Counts today = counts.read(day);
        List<String> lines = new ArrayList<>();
        lines.add(texts.get("stats.title", day));
        for (String kind : List.of("images", "videos", "texts")) {
            String perModel = catalog.models().stream().filter(model -> kind(model).equals(kind))
                    .filter(model -> today.get("results." + model.key()) > 0)
                    .map(model -> model.name() + " " + today.get("results." + model.key()))
                    .collect(Collectors.joining(", "));
            lines.add(texts.get("stats." + kind, perModel.isEmpty() ? "0" : perModel));
        }
        lines.add(texts.get("stats.refusals", REFUSALS.stream()
                .map(reason -> texts.get("stats.reason." + reason) + " " + today.get("refusals." + reason))
                .collect(Collectors.joining(", "))));
        lines.add(texts.get("stats.failures", sum(today, "refused."), sum(today, "failed."),
                today.get("dead_letters")));
        DailySpend.Spent spent = spend.spent(day);
        lines.add(spent.budgetMicroUsd() > 0
                ? texts.get("stats.spend", usd(spent.usd()), usd(spent.budgetUsd()),
                        Math.round(100.0 * spent.microUsd() / spent.budgetMicroUsd()))
                : texts.get("stats.spend.unlimited", usd(spent.usd())));
        Queues.Depths depths = queues.depths();
        if (depths.jobs().known()) {
            QueueDepth jobs = depths.jobs();
            lines.add(texts.get("stats.queue", jobs.waiting(), jobs.inFlight(), jobs.delayed(),
                    depths.deadLetters().total()));
        }
        return String.join("\n", lines);
    }

    private static String kind(Model model) {
        return model.isVideo() ? "videos" : model.isText() ? "texts" : "images";
    }

    private static long sum(DailyCounts.Counts today, String prefix) {
        return today.counts().entrySet().stream().filter(entry -> entry.getKey().startsWith(prefix))
                .mapToLong(Map.Entry::getValue).sum();
    }

    private static String usd(double dollars) {
        return String.format(Locale.ROOT, "$%.2f", dollars);
    }
}
