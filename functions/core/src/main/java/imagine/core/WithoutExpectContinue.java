package imagine.core;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * Drops the {@code Expect: 100-continue} the SDK puts on every PutObject. Our puts are small records
 * or single images, so waiting for "100 Continue" only adds a round trip; and when a
 * conditional put is refused (412) the url-connection client, which cannot read an early answer,
 * turns that refusal into an I/O error and retries it four times.
 */
public final class WithoutExpectContinue implements ExecutionInterceptor {

    @Override
    public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
        return context.httpRequest().toBuilder().removeHeader("Expect").build();
    }
}
