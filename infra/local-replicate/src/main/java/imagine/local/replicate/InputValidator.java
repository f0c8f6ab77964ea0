package imagine.local.replicate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Checks an input against a model's schema, reporting errors the way Replicate's validation does. */
final class InputValidator {
    private InputValidator() {
    }

    static void validate(ModelSchema schema, Map<String, Object> input) {
        List<Problem.InvalidField> errors = new ArrayList<>();
        boolean takesPrompt = !schema.kind().equals(ModelSchema.UPSCALE);
        if (takesPrompt && (!(input.get("prompt") instanceof String prompt) || prompt.isBlank())) {
            errors.add(required("prompt"));
        }
        if (schema.aspectRatioField() != null && input.get(schema.aspectRatioField()) != null) {
            checkAspectRatio(schema, input.get(schema.aspectRatioField()), errors);
        }
        if (schema.imageField() != null) {
            Object image = input.get(schema.imageField());
            if (image == null && schema.imageRequired()) {
                errors.add(required(schema.imageField()));
            } else if (image != null && !(image instanceof String)) {
                errors.add(invalidType(schema.imageField(), "string", image));
            }
        }
        Object seed = input.get("seed");
        if (seed != null && !(seed instanceof Integer || seed instanceof Long)) {
            errors.add(invalidType("seed", "integer", seed));
        }
        if (!errors.isEmpty()) {
            throw new ApiException(Problem.invalidInput(errors));
        }
    }

    private static void checkAspectRatio(ModelSchema schema, Object value, List<Problem.InvalidField> errors) {
        String field = schema.aspectRatioField();
        if (!(value instanceof String ratio)) {
            errors.add(invalidType(field, "string", value));
        } else if (!schema.aspectRatios().isEmpty() && !schema.aspectRatios().contains(ratio)) {
            String allowed = schema.aspectRatios().stream().map(r -> "\"" + r + "\"")
                .collect(Collectors.joining(", "));
            errors.add(new Problem.InvalidField("enum", "input." + field,
                field + " must be one of the following: " + allowed));
        } else if (schema.aspectRatios().isEmpty() && ImageSize.parseRatio(ratio).isEmpty()) {
            errors.add(new Problem.InvalidField("pattern", "input." + field,
                field + " must be of the form W:H, for example \"16:9\""));
        }
    }

    private static Problem.InvalidField required(String field) {
        return new Problem.InvalidField("required", "input", field + " is required");
    }

    private static Problem.InvalidField invalidType(String field, String expected, Object given) {
        return new Problem.InvalidField("invalid_type", "input." + field,
            "Invalid type. Expected: " + expected + ", given: " + given.getClass().getSimpleName().toLowerCase());
    }
}
