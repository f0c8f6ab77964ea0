package imagine.local.replicate;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Creates predictions: resolves the model, applies faults, validates the input and starts the run. */
final class PredictionService {
    static final int RETRY_AFTER_SECONDS = 2;

    private final Map<String, ModelSchema> models;
    private final FaultQueue faults;
    private final PredictionStore store;
    private final PredictionRunner runner;

    PredictionService(Map<String, ModelSchema> models, FaultQueue faults, PredictionStore store,
                      PredictionRunner runner) {
        this.models = models;
        this.faults = faults;
        this.store = store;
        this.runner = runner;
    }

    /** @param model "owner/name" from the URL, or null when the body names a version */
    Prediction create(String model, CreateRequest request) {
        String name = model != null ? model : modelOfVersion(request.version());
        ModelSchema schema = schemaOf(name);
        Fault fault = faults.next(name).or(() -> Fault.cuedBy(request.input().get("prompt"))).orElse(null);
        if (fault == Fault.SERVER_ERROR) {
            throw new ApiException(Problem.serverError());
        }
        if (fault == Fault.RATE_LIMITED) {
            throw new ApiException(Problem.throttled(RETRY_AFTER_SECONDS));
        }
        if (fault == Fault.INVALID_INPUT) {
            throw new ApiException(Problem.invalidInput(List.of(new Problem.InvalidField("invalid", "input.prompt",
                "prompt was rejected by input validation"))));
        }
        InputValidator.validate(schema, request.input());
        String version = request.version() == null
            ? versionOf(name) : request.version().substring(request.version().indexOf(':') + 1);
        Prediction prediction = Prediction.starting(Ids.predictionId(), name, version, request.input(),
            Instant.now(), request.webhook(), request.webhookEventsFilter());
        store.add(prediction);
        runner.run(prediction, schema, fault);
        return prediction;
    }

    private ModelSchema schemaOf(String model) {
        if (models.isEmpty()) {
            return ModelSchema.anyImage();
        }
        ModelSchema schema = models.get(model);
        if (schema == null) {
            throw new ApiException(Problem.notFound());
        }
        return schema;
    }

    /** Accepts "owner/name:version" or a bare version id of a configured model. */
    private String modelOfVersion(String version) {
        if (version == null) {
            throw new ApiException(Problem.invalidInput(List.of(
                new Problem.InvalidField("required", "(root)", "version is required"))));
        }
        int colon = version.indexOf(':');
        if (colon > 0) {
            return version.substring(0, colon);
        }
        Optional<String> known = models.keySet().stream().filter(m -> versionOf(m).equals(version)).findFirst();
        if (known.isPresent()) {
            return known.get();
        }
        if (models.isEmpty()) {
            return "local/" + version.substring(0, Math.min(12, version.length()));
        }
        throw new ApiException(Problem.notFound());
    }

    /** A stable 64-hex version id per model, shaped like Replicate's. */
    static String versionOf(String model) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(model.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
