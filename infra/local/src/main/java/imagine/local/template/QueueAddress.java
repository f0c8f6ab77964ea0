package imagine.local.template;

/** Where a created queue lives: what !Ref and !GetAtt of it resolve to. */
public record QueueAddress(String url, String arn, String name) {
}
