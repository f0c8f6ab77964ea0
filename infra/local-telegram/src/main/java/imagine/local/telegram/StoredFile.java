package imagine.local.telegram;

/** A file known to the local Telegram, as getFile describes it. */
record StoredFile(String fileId, String fileUniqueId, String filePath, long fileSize) {
}
