package imagine.local.telegram;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/** A multipart/form-data body parser: text parts become fields, parts with a file name become uploads. */
final class Multipart {
    private Multipart() {
    }

    static void parse(byte[] body, String boundary, ObjectNode fields, Map<String, Upload> files) {
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int position = indexOf(body, delimiter, 0);
        while (position >= 0) {
            int partStart = position + delimiter.length;
            if (partStart + 1 < body.length && body[partStart] == '-' && body[partStart + 1] == '-') {
                return;
            }
            partStart = skipLineBreak(body, partStart);
            int next = indexOf(body, delimiter, partStart);
            if (next < 0) {
                return;
            }
            int partEnd = next;
            if (partEnd >= 2 && body[partEnd - 2] == '\r' && body[partEnd - 1] == '\n') {
                partEnd -= 2;
            } else if (partEnd >= 1 && body[partEnd - 1] == '\n') {
                partEnd -= 1;
            }
            readPart(Arrays.copyOfRange(body, partStart, partEnd), fields, files);
            position = next;
        }
    }

    private static void readPart(byte[] part, ObjectNode fields, Map<String, Upload> files) {
        int headerEnd = indexOf(part, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), 0);
        int separator = 4;
        if (headerEnd < 0) {
            headerEnd = indexOf(part, "\n\n".getBytes(StandardCharsets.ISO_8859_1), 0);
            separator = 2;
        }
        if (headerEnd < 0) {
            return;
        }
        String headers = new String(part, 0, headerEnd, StandardCharsets.UTF_8);
        byte[] content = Arrays.copyOfRange(part, headerEnd + separator, part.length);
        String name = null;
        String fileName = null;
        String contentType = "application/octet-stream";
        for (String line : headers.split("\r?\n")) {
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-disposition:")) {
                name = attribute(line, "name");
                fileName = attribute(line, "filename");
            } else if (lower.startsWith("content-type:")) {
                contentType = line.substring("content-type:".length()).trim();
            }
        }
        if (name == null) {
            return;
        }
        if (fileName != null) {
            files.put(name, new Upload(fileName, contentType, content));
        } else {
            fields.put(name, new String(content, StandardCharsets.UTF_8));
        }
    }

    private static String attribute(String header, String attribute) {
        for (String piece : header.split(";")) {
            String trimmed = piece.trim();
            if (trimmed.toLowerCase(Locale.ROOT).startsWith(attribute + "=")) {
                String value = trimmed.substring(attribute.length() + 1);
                return value.startsWith("\"") && value.endsWith("\"") && value.length() >= 2
                        ? value.substring(1, value.length() - 1) : value;
            }
        }
        return null;
    }

    private static int skipLineBreak(byte[] body, int position) {
        if (position < body.length && body[position] == '\r') {
            position++;
        }
        if (position < body.length && body[position] == '\n') {
            position++;
        }
        return position;
    }

    static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
