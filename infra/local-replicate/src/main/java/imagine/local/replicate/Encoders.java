package imagine.local.replicate;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;

/** Image files from pictures: PNG stills and looping animated GIFs. */
final class Encoders {
    private static final String GIF_METADATA = "javax_imageio_gif_image_1.0";

    private Encoders() {
    }

    static byte[] png(BufferedImage image) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        // A light deflate level: files stay small for these smooth pictures and bursts encode fast.
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(0.85f);
        return write(writer, out -> writer.write(null, new IIOImage(image, null, null), param));
    }

    static byte[] animatedGif(List<BufferedImage> frames, int delayHundredths) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        return write(writer, out -> {
            writer.prepareWriteSequence(null);
            for (BufferedImage frame : frames) {
                IIOMetadata metadata = frameMetadata(writer, frame, delayHundredths);
                writer.writeToSequence(new IIOImage(frame, null, metadata), null);
            }
            writer.endWriteSequence();
        });
    }

    private static IIOMetadata frameMetadata(ImageWriter writer, BufferedImage frame, int delayHundredths)
        throws IOException {
        IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(frame), null);
        IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(GIF_METADATA);
        IIOMetadataNode control = child(root, "GraphicControlExtension");
        control.setAttribute("disposalMethod", "none");
        control.setAttribute("userInputFlag", "FALSE");
        control.setAttribute("transparentColorFlag", "FALSE");
        control.setAttribute("delayTime", Integer.toString(delayHundredths));
        control.setAttribute("transparentColorIndex", "0");
        IIOMetadataNode loop = new IIOMetadataNode("ApplicationExtension");
        loop.setAttribute("applicationID", "NETSCAPE");
        loop.setAttribute("authenticationCode", "2.0");
        loop.setUserObject(new byte[] {1, 0, 0}); // sub-block 1, loop count 0 = forever
        child(root, "ApplicationExtensions").appendChild(loop);
        metadata.setFromTree(GIF_METADATA, root);
        return metadata;
    }

    private static IIOMetadataNode child(IIOMetadataNode root, String name) {
        for (int i = 0; i < root.getLength(); i++) {
            if (root.item(i).getNodeName().equals(name)) {
                return (IIOMetadataNode) root.item(i);
            }
        }
        IIOMetadataNode node = new IIOMetadataNode(name);
        root.appendChild(node);
        return node;
    }

    private interface Writing {
        void run(ImageOutputStream out) throws IOException;
    }

    private static byte[] write(ImageWriter writer, Writing writing) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writing.run(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
