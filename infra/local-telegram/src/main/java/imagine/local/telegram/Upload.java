package imagine.local.telegram;

/** A file part of a multipart request. */
record Upload(String fileName, String contentType, byte[] bytes) {
}
