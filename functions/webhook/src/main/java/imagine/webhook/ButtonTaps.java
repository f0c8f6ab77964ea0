package imagine.webhook;

import imagine.core.Catalog;
import imagine.core.Texts;
import imagine.core.telegram.CallbackQuery;
import imagine.core.telegram.Message;
import imagine.core.telegram.User;
import java.util.Optional;

/**
 * Taps on the bot's buttons, each answered at once (answerCallbackQuery in the response body, its text shown as a
 * toast): those of the /model and /settings menus go to {@link SettingsButtonTaps}, those under a result to
 * {@link ResultButtonTaps}, those of /forget to {@link ForgetButtonTaps}. A tap from someone not let in, or on a button
 * the bot does not make (any more), changes nothing.
 */
final class ButtonTaps {
    private final WebhookSettings settings;
    private final Catalog catalog;
    private final SettingsButtonTaps settingsTaps;
    private final ResultButtonTaps resultTaps;
    private final ForgetButtonTaps forgetTaps = new ForgetButtonTaps();

    ButtonTaps(WebhookSettings settings, Catalog catalog, SettingsButtonTaps settingsTaps,
               ResultButtonTaps resultTaps) {
        this.settings = settings;
        this.catalog = catalog;
        this.settingsTaps = settingsTaps;
        this.resultTaps = resultTaps;
    }

    Answer answer(long updateId, CallbackQuery query) {
        User user = query.from();
        if (user == null || user.isBot() || query.id() == null) {
            return Answer.NOTHING;
        }
        Texts texts = Texts.forLanguage(user.languageCode());
        if (!settings.admits(user.id())) {
            return Answer.reply(AnswerCallbackQuery.alert(query.id(), texts.get("not_allowed", user.id())))
                    .refusedFor(Refusal.ALLOW_LIST);
        }
        Optional<ButtonData> parsed = ButtonData.parse(query.data(), catalog);
        Message message = query.message();
        if (parsed.isEmpty() || message == null || message.chat() == null) {
            return Answer.reply(AnswerCallbackQuery.toast(query.id(), texts.get("callback_stale")));
        }
        ButtonData data = parsed.get();
        if (ResultButtonTaps.ACTIONS.contains(data.action())) {
            return resultTaps.answer(updateId, query, data, texts);
        }
        if (data.action().equals(ButtonData.FORGET)) {
            return forgetTaps.answer(updateId, query, data, texts);
        }
        return settingsTaps.answer(query, data, texts);
    }
}
