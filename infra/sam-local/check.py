"""sam local invoke, checked without a container engine.

For each sample event: the environment `sam local invoke <Function> -e <event>` would give the function, resolved
by the SAM CLI's own code from .aws-sam/build/template.yaml and samconfig.toml's [default.local_invoke.parameters]
(env_vars and parameter_overrides); then the handler, from the artifact `sam build` made, started with exactly that
environment by Lambda's Java runtime client against a Runtime API served here, the way SAM's container does, and
its answer compared with what the README promises. The functions reach the running `infra/imagine run --listen
0.0.0.0` through host.docker.internal, resolved as samconfig's add_host makes a container resolve it.

Run through infra/sam-local/check, which finds a Python that imports samcli.
"""

import http.server
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import zipfile

from samcli.cli.types import CfnParameterOverridesType
from samcli.commands.local.cli_common.invoke_context import InvokeContext
from samcli.commands.local.lib.local_lambda import LocalLambdaRunner
from samcli.lib.config.samconfig import SamConfig
from samcli.lib.providers.sam_function_provider import SamFunctionProvider
from samcli.lib.providers.sam_stack_provider import SamLocalStackProvider

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
TEMPLATE = os.path.join(ROOT, ".aws-sam", "build", "template.yaml")
EVENTS = os.path.join(ROOT, "events")
RUNTIME_CLIENT = os.path.join(ROOT, "infra", "benchmark", "target", "runtime-client-classpath.txt")
TELEGRAM = "http://127.0.0.1:8080"
CLOUDFORMATION = "http://127.0.0.1:8082"
ALICE, BORIS = 1001, 1002


def local_invoke_settings():
    """What `sam local invoke` takes from samconfig.toml, parsed by the SAM CLI."""
    values = SamConfig(ROOT).get_all(["local", "invoke"], "parameters")
    overrides = CfnParameterOverridesType().convert(values.get("parameter_overrides", ""), None, None)
    hosts = {}
    for entry in values.get("add_host", []):
        name, address = entry.split(":", 1)
        hosts[name] = address
    return overrides, os.path.join(ROOT, values["env_vars"]), hosts


def resolve(function_id, overrides, env_vars_file):
    """The function's environment, code directory, handler and timeout, as `sam local invoke` computes them."""
    stacks, _ = SamLocalStackProvider.get_stacks(TEMPLATE, parameter_overrides=overrides)
    runner = LocalLambdaRunner(local_runtime=None, function_provider=SamFunctionProvider(stacks),
                               cwd=os.path.dirname(TEMPLATE), real_path=os.path.dirname(TEMPLATE),
                               env_vars_values=InvokeContext._get_env_vars_value(env_vars_file))
    config = runner.get_invoke_config(runner.get_function(function_id))
    return config.env_vars.resolve(), config.code_abs_path, config.handler, config.timeout


class RuntimeApi(http.server.ThreadingHTTPServer):
    """Lambda's Runtime API for one invocation: the event on the first GET next, then the answer or the error."""

    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # the runtime client's held GET next ends when its process is stopped

    def __init__(self, event, timeout):
        super().__init__(("127.0.0.1", 0), RuntimeApiHandler)
        self.event = event
        self.timeout = timeout
        self.delivered = False
        self.outcome = None
        self.done = threading.Event()


class RuntimeApiHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    BASE = "/2018-06-01/runtime/"

    def log_message(self, *args):
        pass

    def _reply(self, status, body=b"{}", headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        api = self.server
        if self.path == self.BASE + "invocation/next" and not api.delivered:
            api.delivered = True
            deadline = int(time.time() * 1000) + api.timeout * 1000
            self._reply(200, api.event, [("Lambda-Runtime-Aws-Request-Id", "sam-local-check-1"),
                                         ("Lambda-Runtime-Deadline-Ms", str(deadline)),
                                         ("Lambda-Runtime-Invoked-Function-Arn",
                                          "arn:aws:lambda:us-east-1:123456789012:function:sam-local-check"),
                                         ("Content-Type", "application/json")])
        else:
            api.done.wait()  # Lambda freezes the environment here

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        kind = "answer" if self.path.endswith("/response") else "error"
        self.server.outcome = (kind, body.decode("utf-8", "replace"))
        self._reply(202)
        self.server.done.set()


def invoke(code_dir, handler, env, event, timeout, hosts_file, log):
    """Runs the handler from its artifact with exactly `env` (plus the Runtime API's address), as Lambda does."""
    with open(RUNTIME_CLIENT) as f:
        client = f.read().strip()
    jni = os.path.join(tempfile.gettempdir(), "sam-local-check-libaws-lambda-jni.so")
    arch = "linux-aarch_64" if os.uname().machine in ("aarch64", "arm64") else "linux-x86_64"
    with zipfile.ZipFile([p for p in client.split(":") if "runtime-interface-client" in p][0]) as jar:
        with open(jni, "wb") as out:
            out.write(jar.read("jni/libaws-lambda-jni.%s.so" % arch))
    api = RuntimeApi(event, timeout)
    threading.Thread(target=api.serve_forever, daemon=True).start()
    process_env = dict(env)
    process_env["AWS_LAMBDA_RUNTIME_API"] = "127.0.0.1:%d" % api.server_address[1]
    classpath = ":".join([code_dir, os.path.join(code_dir, "lib", "*"), client])
    command = [shutil.which("java"), "-Djdk.net.hosts.file=" + hosts_file,
               "-Dcom.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI=" + jni,
               "-cp", classpath, "com.amazonaws.services.lambda.runtime.api.client.AWSLambda", handler]
    java = subprocess.Popen(command, env=process_env, stdout=log, stderr=subprocess.STDOUT)
    try:
        if not api.done.wait(timeout + 30):
            return ("error", "no answer within %d s" % (timeout + 30))
        return api.outcome
    finally:
        java.kill()
        java.wait()
        api.done.set()
        api.shutdown()


def chat(chat_id):
    """The chat's messages as the chat page sees them."""
    messages = []
    with urllib.request.urlopen("%s/chat/events?chat=%d" % (TELEGRAM, chat_id), timeout=10) as stream:
        event = None
        for raw in stream:
            line = raw.decode("utf-8").rstrip("\n")
            if line.startswith("event: "):
                event = line[len("event: "):]
                if event == "ready":
                    return messages
            elif line.startswith("data: ") and event == "message":
                messages.append(json.loads(line[len("data: "):]))
    return messages


STARTED = int(time.time()) - 1


def await_message(chat_id, matches, seconds=60):
    """Whether a message sent since the check started matches, waiting up to `seconds` for it."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        if any(m.get("date", 0) >= STARTED and matches(m) for m in chat(chat_id)):
            return True
        time.sleep(1)
    return False


def user_sends(user_id, name, language, text):
    request = urllib.request.Request(TELEGRAM + "/chat/send", method="POST", data=json.dumps(
        {"user_id": user_id, "first_name": name, "language_code": language, "text": text}).encode(),
        headers={"Content-Type": "application/json"})
    urllib.request.urlopen(request, timeout=10).read()


def cloudformation_answer(request_id):
    with urllib.request.urlopen(CLOUDFORMATION + "/", timeout=10) as response:
        answers = [a for a in json.load(response) if a["requestId"] == request_id]
    return answers[-1] if answers else None


def api_answer(outcome):
    kind, body = outcome
    return json.loads(body) if kind == "answer" else {"error": body}


def expect_status(status, reply_method=None):
    def check(outcome, event):
        answer = api_answer(outcome)
        if answer.get("statusCode") != status:
            return "statusCode %s, expected %d" % (answer.get("statusCode", answer.get("error")), status)
        if reply_method:
            reply = json.loads(answer.get("body") or "{}")
            if reply.get("method") != reply_method:
                return "answered %r, expected %s in the body" % (reply.get("method"), reply_method)
        return None
    return check


def expect_batch(then=None):
    def check(outcome, event):
        answer = api_answer(outcome)
        if answer.get("batchItemFailures") != []:
            return "expected no batch item failure, got %s" % answer
        return then() if then else None
    return check


def expect_cloudformation_success(outcome, event):
    if outcome[0] != "answer":
        return "failed: %s" % outcome[1]
    request_id = json.loads(event)["RequestId"]
    answer = cloudformation_answer(request_id)
    if answer is None:
        return "CloudFormation got no answer for %s" % request_id
    return None if answer["status"] == "SUCCESS" else "CloudFormation was told %s: %s" % (
        answer["status"], answer["reason"])


def photo_for_alice():
    caption = "a red fox in the snow, watercolour"
    found = await_message(ALICE, lambda m: (m.get("caption") or "").endswith(caption) and m.get("photo"))
    return None if found else "no photo captioned with the prompt reached Alice"


def idea_pictures_for_alice():
    found = await_message(ALICE, lambda m: m.get("photo") and "a cosy winter city, " in (m.get("caption") or ""),
                          seconds=90)
    return None if found else "no picture of the idea's prompts reached Alice"


def apology_for_boris():
    found = await_message(BORIS, lambda m: "a lighthouse at dusk, oil painting" in (m.get("text") or ""))
    return None if found else "Boris was not told which prompt failed"


# What the README promises for each event (README, "The local platform"). The jobs come before the updates: the
# platform's own worker takes the jobs an update enqueues, and would finish them first.
CASES = [
    ("RegistrationFunction", "cloudformation-register-create.json", expect_cloudformation_success),
    ("RegistrationFunction", "cloudformation-signing-secret-create.json", expect_cloudformation_success),
    ("WorkerFunction", "sqs-job.json", expect_batch(photo_for_alice)),
    ("WorkerFunction", "sqs-idea-job.json", expect_batch(idea_pictures_for_alice)),
    ("CallbackFunction", "replicate-callback.json", expect_status(401)),
    ("DeadLetterFunction", "sqs-dead-letter.json", expect_batch(apology_for_boris)),
    ("WebhookFunction", "telegram-private-text.json", expect_status(200, "sendMessage")),
    ("WebhookFunction", "telegram-wrong-secret.json", expect_status(401)),
] + [("WebhookFunction", name, expect_status(200)) for name in sorted(os.listdir(EVENTS))
     if name.startswith("telegram-") and name not in ("telegram-private-text.json", "telegram-wrong-secret.json")]

# Environment variables whose values are secrets: shown by name only.
SECRETS = ("TELEGRAM_BOT_TOKEN", "TELEGRAM_WEBHOOK_SECRET", "REPLICATE_API_TOKEN", "REPLICATE_WEBHOOK_SECRET",
           "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")


def host_address():
    """This machine's address on its network, where a container's host-gateway leads."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("192.0.2.1", 9))  # no packet is sent; picks the outgoing interface
        return probe.getsockname()[0]
    except OSError:
        return "127.0.0.1"
    finally:
        probe.close()


def main():
    overrides, env_vars_file, hosts = local_invoke_settings()
    hosts_file = os.path.join(tempfile.gettempdir(), "sam-local-check-hosts")
    with open(hosts_file, "w") as f:
        for name, address in hosts.items():
            resolved = host_address() if address == "host-gateway" else address
            f.write("%s %s\n" % (resolved, name))
            print("%s resolves to %s (add_host %s:%s)" % (name, resolved, name, address))
    log_path = os.path.join(tempfile.gettempdir(), "sam-local-check.log")
    # Telegram lets a bot write only to users who wrote to it first.
    user_sends(ALICE, "Alice", "en", "/start")
    user_sends(BORIS, "Борис", "ru", "/start")
    failures = 0
    shown = set()
    with open(log_path, "w") as log:
        for function_id, name, check in CASES:
            env, code_dir, handler, timeout = resolve(function_id, overrides, env_vars_file)
            if function_id not in shown:
                shown.add(function_id)
                print("%s  (%s, %s)" % (function_id, handler, os.path.relpath(code_dir, ROOT)))
                for key in sorted(env):
                    if not key.startswith("AWS_") or key == "AWS_REGION":
                        print("    %s=%s" % (key, "<%d chars>" % len(env[key]) if key in SECRETS else env[key]))
            with open(os.path.join(EVENTS, name), "rb") as f:
                event = f.read()
            log.write("\n=== %s %s\n" % (function_id, name))
            log.flush()
            outcome = invoke(code_dir, handler, env, event, int(timeout), hosts_file, log)
            problem = check(outcome, event)
            failures += problem is not None
            summary = (outcome[1] if outcome[0] == "error" else "SUCCESS posted to the ResponseURL"
                       if check is expect_cloudformation_success else json.dumps(api_answer(outcome))[:110])
            print("  %-4s %-20s %-45s %s" % ("ok" if problem is None else "FAIL", function_id, name,
                                            problem or summary))
    print("%d of %d as the README promises (function output: %s)" % (len(CASES) - failures, len(CASES), log_path))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
