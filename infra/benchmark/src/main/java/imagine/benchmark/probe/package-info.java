/**
 * Handlers that do nothing but what is measured: a log line, metrics written by the bot's own code, or the same
 * metrics through AWS's aws-embedded-metrics library. Run cold under the runtime interface client beside the webhook's
 * jar, their first responses say what logging and metrics add to a cold start.
 */
package imagine.benchmark.probe;
