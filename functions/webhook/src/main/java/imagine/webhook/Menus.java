package imagine.webhook;

import imagine.core.Catalog;
import imagine.core.Model;
import imagine.core.ModelKind;
import imagine.core.Texts;
import imagine.core.telegram.InlineKeyboardButton;
import imagine.core.telegram.InlineKeyboardMarkup;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The /model and /settings messages (the current choices in words, and buttons to change them), and /forget's. */
final class Menus {
    private static final String CURRENT = "✅ ";
    private static final int MODELS_PER_ROW = 2;
    private static final int RATIOS_PER_ROW = 4;

    private final Catalog catalog;

    Menus(Catalog catalog) {
        this.catalog = catalog;
    }

    /** The catalog's models grouped by kind (in catalog order), the current one marked. */
    Menu models(long owner, UserSettings.Choices choices, Texts texts) {
        StringBuilder text = new StringBuilder(texts.get("model_menu", choices.model().name()));
        List<List<InlineKeyboardButton>> rows = new ArrayList<>();
        for (ModelKind kind : kinds()) {
            List<Model> models = catalog.imageModels().stream().filter(model -> model.kind() == kind).toList();
            text.append("\n").append(texts.get("kind." + kind.wireName())).append(": ")
                    .append(models.stream().map(Model::name).collect(Collectors.joining(", ")));
            List<InlineKeyboardButton> buttons = models.stream()
                    .map(model -> button(marked(model.name(), model.equals(choices.model())),
                            new ButtonData(owner, ButtonData.MODEL, model.key())))
                    .toList();
            rows.addAll(rows(buttons, MODELS_PER_ROW));
        }
        return new Menu(text.toString(), new InlineKeyboardMarkup(rows));
    }

    /** Aspect ratios the current model takes, images per prompt, photo or file, and one by one or as an album. */
    Menu settings(long owner, UserSettings.Choices choices, Texts texts) {
        String output = texts.get(choices.asFile() ? "settings.file" : "settings.photo");
        String text = texts.get("settings_menu", choices.model().name(), choices.aspectRatio(),
                choices.imagesPerPrompt(), output,
                texts.get(choices.album() ? "settings.album" : "settings.one_by_one"));
        List<List<InlineKeyboardButton>> rows = new ArrayList<>();
        List<String> ratios = choices.model().aspectRatios() == null ? List.of() : choices.model().aspectRatios();
        rows.addAll(rows(ratios.stream()
                .map(ratio -> button(marked(ratio, ratio.equals(choices.aspectRatio())),
                        new ButtonData(owner, ButtonData.ASPECT_RATIO, ratio)))
                .toList(), RATIOS_PER_ROW));
        List<InlineKeyboardButton> counts = new ArrayList<>();
        for (int n = 1; n <= PromptLine.MAX_IMAGES_PER_PROMPT; n++) {
            counts.add(button(marked("×" + n, n == choices.imagesPerPrompt()),
                    new ButtonData(owner, ButtonData.COUNT, Integer.toString(n))));
        }
        rows.add(counts);
        rows.add(List.of(
                button(marked(texts.get("settings.photo"), !choices.asFile()),
                        new ButtonData(owner, ButtonData.OUTPUT, "photo")),
                button(marked(texts.get("settings.file"), choices.asFile()),
                        new ButtonData(owner, ButtonData.OUTPUT, "file"))));
        rows.add(List.of(
                button(marked(texts.get("settings.one_by_one"), !choices.album()),
                        new ButtonData(owner, ButtonData.ALBUM, "off")),
                button(marked(texts.get("settings.album"), choices.album()),
                        new ButtonData(owner, ButtonData.ALBUM, "on"))));
        return new Menu(text, new InlineKeyboardMarkup(rows));
    }

    /** What the bot keeps about the user and for how long, and two buttons: delete it all, or keep it. */
    Menu forget(long owner, Texts texts) {
        List<InlineKeyboardButton> choices = List.of(
                button(texts.get("button.forget.delete"),
                        new ButtonData(owner, ButtonData.FORGET, ForgetButtonTaps.DELETE)),
                button(texts.get("button.forget.keep"), new ButtonData(owner, ButtonData.FORGET, ForgetButtonTaps.KEEP)));
        return new Menu(texts.get("kept") + "\n\n" + texts.get("forget_question"),
                new InlineKeyboardMarkup(List.of(choices)));
    }

    private List<ModelKind> kinds() {
        return catalog.imageModels().stream().map(Model::kind).distinct().toList();
    }

    private static InlineKeyboardButton button(String label, ButtonData data) {
        return new InlineKeyboardButton(label, data.encode());
    }

    private static String marked(String label, boolean current) {
        return current ? CURRENT + label : label;
    }

    private static List<List<InlineKeyboardButton>> rows(List<InlineKeyboardButton> buttons, int perRow) {
        List<List<InlineKeyboardButton>> rows = new ArrayList<>();
        for (int from = 0; from < buttons.size(); from += perRow) {
            rows.add(buttons.subList(from, Math.min(buttons.size(), from + perRow)));
        }
        return rows;
    }
}
