# sam build runs build-<function> for each function in template.yaml, from this directory (samconfig.toml builds
# in source), with ARTIFACTS_DIR set. The first target runs Maven once for both jars; the others find them up to
# date. Each function's artifact is its module's shaded jar, unpacked, as Lambda's Java runtime loads it.
SOURCES := pom.xml $(shell find functions -name target -prune -o -type f -print)
WEBHOOK_JAR := functions/webhook/target/imagine-webhook.jar
WORKER_JAR := functions/worker/target/imagine-worker.jar

$(WEBHOOK_JAR) $(WORKER_JAR): $(SOURCES)
	mvn -B -q -pl functions/webhook,functions/worker -am package -DskipTests
	touch $(WEBHOOK_JAR) $(WORKER_JAR)

build-WebhookFunction: $(WEBHOOK_JAR)
	unzip -q -o $(WEBHOOK_JAR) -d "$(ARTIFACTS_DIR)"

build-WorkerFunction build-CallbackFunction build-DeadLetterFunction build-RegistrationFunction: $(WORKER_JAR)
	unzip -q -o $(WORKER_JAR) -d "$(ARTIFACTS_DIR)"

.PHONY: build-WebhookFunction build-WorkerFunction build-CallbackFunction build-DeadLetterFunction \
	build-RegistrationFunction
