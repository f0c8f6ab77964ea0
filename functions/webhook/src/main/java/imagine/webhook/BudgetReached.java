package imagine.webhook;

/**
 * What the update asks for would take the day's spend past the owner's budget (DailyBudgetUsd): nothing is counted or
 * enqueued, and the user is told so in their language.
 */
final class BudgetReached extends RuntimeException {

    BudgetReached() {
        super("the day's budget is spent", null, false, false);
    }
}
