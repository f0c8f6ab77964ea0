package imagine.worker;

import imagine.core.Job;
import imagine.core.Model;
import imagine.core.S3Documents;
import imagine.core.StorageKeys;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The images of one prompt sent together as one album when the last is ready, with no coordinator: each image
 * job records its outcome in {@code albums/<albumId>.json}, changed only by compare-and-swap, and the job whose
 * write completes the set is named the sender there. Only the sender sends, and it records that it did, so
 * two jobs finishing at once or a job retried after the album went out do not send it again. Images that
 * failed are recorded as left out (their user was told why) and the album goes without them. Each image records its
 * label (its model, and its seed or ratio where the user should know them), since the images of a comparison are
 * each another model's.
 */
final class Albums {
    private final S3Documents<AlbumRecord> records;
    private final MediaStore media;
    private final Delivery delivery;

    Albums(S3Client s3, String bucket, MediaStore media, Delivery delivery) {
        this.records = new S3Documents<>(s3, bucket, AlbumRecord.class);
        this.media = media;
        this.delivery = delivery;
    }

    /**
     * What is known about one album.
     *
     * @param images each job's image by job id: its place and media key, null for an image left out
     * @param sender the job whose record completed the set; it sends the album
     * @param sent   true once Telegram accepted the album
     */
    record AlbumRecord(int size, Map<String, Image> images, String sender, boolean sent) {
        static AlbumRecord empty(int size) {
            return new AlbumRecord(size, Map.of(), null, false);
        }

        AlbumRecord with(String jobId, Image image) {
            if (images.containsKey(jobId)) {
                return this;
            }
            Map<String, Image> more = new LinkedHashMap<>(images);
            more.put(jobId, image);
            return new AlbumRecord(size, more, more.size() >= size ? jobId : null, false);
        }

        AlbumRecord markedSent() {
            return new AlbumRecord(size, images, sender, true);
        }
    }

    /**
     * @param mediaKey null for an image left out
     * @param label    what names the image in the album ({@link Delivery#label}); null in records of earlier versions
     */
    record Image(int position, String mediaKey, String label) {
    }

    /** The job's image is stored: it joins the album, which is sent if it is now complete. */
    void add(Job job, Model model, String mediaKey) throws IOException {
        record(job, model, new Image(job.position(), mediaKey, Delivery.label(job, model)));
    }

    /** The job ends without an image (its user was told why): the album goes without it. */
    void leaveOut(Job job, Model model) throws IOException {
        record(job, model, new Image(job.position(), null, null));
    }

    private void record(Job job, Model model, Image image) throws IOException {
        String key = StorageKeys.album(job.albumId());
        AlbumRecord album = records.update(key, AlbumRecord.empty(job.albumSize()), stored -> stored.with(job.jobId(), image));
        if (!job.jobId().equals(album.sender()) || album.sent()) {
            return;
        }
        List<Delivery.Labelled> images = new ArrayList<>();
        for (Image made : album.images().values().stream().filter(i -> i.mediaKey() != null)
                .sorted(Comparator.comparingInt(Image::position)).toList()) {
            Optional<MediaStore.Stored> stored = media.find(made.mediaKey());
            stored.ifPresent(file -> images.add(new Delivery.Labelled(file, made.label())));
        }
        if (!images.isEmpty()) {
            delivery.sendAlbum(job, model, images);
        }
        records.update(key, album, AlbumRecord::markedSent);
    }
}
