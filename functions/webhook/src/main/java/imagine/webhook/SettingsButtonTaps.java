package imagine.webhook;

import imagine.core.Catalog;
import imagine.core.Model;
import imagine.core.Texts;
import imagine.core.telegram.CallbackQuery;
import imagine.core.telegram.Message;
import imagine.core.telegram.User;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Taps on the /model and /settings buttons: a change is saved first and then shown by editing the menu message. A
 * stale button, someone else's menu or a choice the catalog no longer offers is answered with a toast that says
 * so, and the menu is brought up to date where that helps.
 */
final class SettingsButtonTaps {
    private final WebhookSettings settings;
    private final Catalog catalog;
    private final UserState users;
    private final Menus menus;

    SettingsButtonTaps(WebhookSettings settings, Catalog catalog, UserState users, Menus menus) {
        this.settings = settings;
        this.catalog = catalog;
        this.users = users;
        this.menus = menus;
    }

    Answer answer(CallbackQuery query, ButtonData data, Texts texts) {
        User user = query.from();
        if (data.owner() != user.id()) {
            return Answer.reply(AnswerCallbackQuery.toast(query.id(), texts.get("callback_not_yours")));
        }
        return switch (data.action()) {
            case ButtonData.MODEL -> model(query, data.value(), texts);
            case ButtonData.ASPECT_RATIO -> aspectRatio(query, data.value(), texts);
            case ButtonData.COUNT -> count(query, data.value(), texts);
            case ButtonData.ALBUM -> album(query, data.value(), texts);
            default -> output(query, data.value(), texts);
        };
    }

    private Answer model(CallbackQuery query, String key, Texts texts) {
        long userId = query.from().id();
        Optional<Model> model = catalog.find(key).filter(Model::takesPrompts);
        if (model.isEmpty()) {
            return answered(query, texts.get("model_gone"), menus.models(userId, current(userId), texts));
        }
        Model chosen = model.get();
        UserSettings before = users.settings(userId);
        UserSettings after = users.changeSettings(userId, stored -> stored.withModel(chosen));
        UserSettings.Choices choices = after.resolve(catalog, settings);
        String told = texts.get("model_chosen", chosen.name());
        String previousRatio = before.resolve(catalog, settings).aspectRatio();
        if (before.aspectRatio() != null && !Objects.equals(choices.aspectRatio(), previousRatio)) {
            told += " " + texts.get("model_ratio_reset", chosen.name(), previousRatio, choices.aspectRatio());
        }
        return answered(query, told, menus.models(userId, choices, texts));
    }

    private Answer aspectRatio(CallbackQuery query, String ratio, Texts texts) {
        long userId = query.from().id();
        UserSettings.Choices choices = current(userId);
        if (!choices.model().accepts(ratio)) {
            return answered(query, texts.get("ratio_gone", choices.model().name(), ratio),
                    menus.settings(userId, choices, texts));
        }
        UserSettings after = users.changeSettings(userId, stored -> stored.withAspectRatio(ratio));
        return answered(query, texts.get("ratio_chosen", ratio),
                menus.settings(userId, after.resolve(catalog, settings), texts));
    }

    private Answer count(CallbackQuery query, String value, Texts texts) {
        int count = Integer.parseInt(value);
        long userId = query.from().id();
        UserSettings after = users.changeSettings(userId, stored -> stored.withImagesPerPrompt(count));
        return answered(query, texts.get("count_chosen", count),
                menus.settings(userId, after.resolve(catalog, settings), texts));
    }

    private Answer output(CallbackQuery query, String value, Texts texts) {
        boolean asFile = value.equals("file");
        long userId = query.from().id();
        UserSettings after = users.changeSettings(userId, stored -> stored.withAsFile(asFile));
        return answered(query, texts.get(asFile ? "output_chosen.file" : "output_chosen.photo"),
                menus.settings(userId, after.resolve(catalog, settings), texts));
    }

    private Answer album(CallbackQuery query, String value, Texts texts) {
        boolean on = value.equals("on");
        long userId = query.from().id();
        UserSettings after = users.changeSettings(userId, stored -> stored.withAlbum(on));
        return answered(query, texts.get(on ? "album_chosen.on" : "album_chosen.off"),
                menus.settings(userId, after.resolve(catalog, settings), texts));
    }

    private UserSettings.Choices current(long userId) {
        return users.settings(userId).resolve(catalog, settings);
    }

    /** The toast in the response, and the menu message edited to show {@code menu}. */
    private static Answer answered(CallbackQuery query, String toast, Menu menu) {
        Message message = query.message();
        return new Answer(List.of(), AnswerCallbackQuery.toast(query.id(), toast),
                MessageEdit.of(message.chat().id(), message.messageId(), menu));
    }
}
