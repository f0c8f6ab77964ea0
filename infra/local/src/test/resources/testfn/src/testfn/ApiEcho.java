package testfn;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

public class ApiEcho implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        if (event.getRawPath().equals("/boom")) {
            throw new IllegalStateException("boom");
        }
        if (event.getRawPath().equals("/slow")) {
            try {
                Record.awaitGate(event.getQueryStringParameters().get("gate"));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
        Map<String, String> query = event.getQueryStringParameters();
        if (query != null && query.containsKey("binary")) {
            APIGatewayV2HTTPResponse response = new APIGatewayV2HTTPResponse();
            response.setStatusCode(200);
            response.setHeaders(Map.of("content-type", "application/octet-stream"));
            response.setBody(Base64.getEncoder().encodeToString(new byte[] {0, 1, 2, (byte) 255}));
            response.setIsBase64Encoded(true);
            return response;
        }
        StringBuilder body = new StringBuilder();
        body.append("version=").append(event.getVersion()).append('\n');
        body.append("routeKey=").append(event.getRouteKey()).append('\n');
        body.append("rawPath=").append(event.getRawPath()).append('\n');
        body.append("rawQueryString=").append(event.getRawQueryString()).append('\n');
        body.append("query=").append(query == null ? null : new TreeMap<>(query)).append('\n');
        body.append("pathParameters=").append(event.getPathParameters()).append('\n');
        body.append("cookies=").append(event.getCookies()).append('\n');
        body.append("headers=").append(new TreeMap<>(event.getHeaders())).append('\n');
        body.append("method=").append(event.getRequestContext().getHttp().getMethod()).append('\n');
        body.append("stage=").append(event.getRequestContext().getStage()).append('\n');
        body.append("function=").append(context.getFunctionName()).append('\n');
        body.append("isBase64Encoded=").append(event.getIsBase64Encoded()).append('\n');
        body.append("body=").append(event.getBody());
        APIGatewayV2HTTPResponse response = new APIGatewayV2HTTPResponse();
        response.setStatusCode(201);
        response.setHeaders(Map.of("content-type", "text/plain", "x-echo", "yes"));
        response.setBody(body.toString());
        return response;
    }
}
