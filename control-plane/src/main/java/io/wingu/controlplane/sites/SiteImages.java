package io.wingu.controlplane.sites;

import io.wingu.controlplane.app.DomainError;
import io.wingu.controlplane.app.FieldError;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;

/**
 * Uploaded pictures made safe to publish: only PNG, JPEG and WebP are read (by ImageIO, WebP
 * through the TwelveMonkeys plugin), and what is stored is a new JPEG drawn from the pixels alone,
 * scaled to fit the page: no metadata (location, camera), comments or trailing bytes of the sender
 * survive.
 */
public final class SiteImages {

  /** The largest upload accepted. */
  public static final long MAX_BYTES = 5L * 1024 * 1024;

  /** The longest side of the stored picture, in pixels: the About page shows it at 240. */
  static final int MAX_SIDE = 480;

  /** Pictures larger than this many pixels are refused before they are decoded. */
  private static final long MAX_PIXELS = 40_000_000L;

  private static final Set<String> FORMATS = Set.of("png", "jpeg", "webp");

  /** A re-encoded picture: JPEG bytes and their size in pixels. */
  public record Encoded(byte[] jpeg, int width, int height) {}

  private SiteImages() {}

  /** The picture in {@code bytes} re-encoded, or a 400 naming {@code field}. */
  static Encoded reencode(byte[] bytes, String field) {
    if (bytes.length > MAX_BYTES) {
      throw refused(field, "image-too-large", "The image is larger than " + MAX_BYTES + " bytes");
    }
    BufferedImage source;
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
      if (readers == null || !readers.hasNext()) {
        throw refused(field, "image-type", "The file is not a PNG, JPEG or WebP image");
      }
      ImageReader reader = readers.next();
      try {
        if (!FORMATS.contains(reader.getFormatName().toLowerCase(java.util.Locale.ROOT))) {
          throw refused(field, "image-type", "The file is not a PNG, JPEG or WebP image");
        }
        reader.setInput(in, true, true);
        long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
        if (pixels > MAX_PIXELS || pixels <= 0) {
          throw refused(field, "image-too-large", "The image has too many pixels");
        }
        source = reader.read(0);
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof DomainError d) {
        throw d;
      }
      throw refused(field, "image-type", "The image cannot be read: " + e.getMessage());
    }
    double scale =
        Math.min(1.0, (double) MAX_SIDE / Math.max(source.getWidth(), source.getHeight()));
    int width = Math.max(1, (int) Math.round(source.getWidth() * scale));
    int height = Math.max(1, (int) Math.round(source.getHeight() * scale));
    BufferedImage target = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = target.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      // transparent parts of a PNG or WebP become white, as on the page
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);
      g.drawImage(source, 0, 0, width, height, null);
    } finally {
      g.dispose();
    }
    return new Encoded(jpeg(target), width, height);
  }

  private static byte[] jpeg(BufferedImage image) {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
      writer.setOutput(stream);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(0.85f);
      writer.write(null, new IIOImage(image, null, null), param);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }

  private static DomainError refused(String field, String code, String message) {
    return DomainError.invalid(message, List.of(new FieldError(field, message, code)));
  }
}
