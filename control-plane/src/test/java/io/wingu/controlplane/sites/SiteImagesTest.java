package io.wingu.controlplane.sites;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wingu.controlplane.app.DomainError;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;

/**
 * Photos are re-encoded from their pixels: what is stored is a fresh JPEG scaled for the page, and
 * nothing the sender hid in the file (text chunks, trailing bytes) is kept.
 */
class SiteImagesTest {

  /** A 1×1 lossless and a 1×1 lossy WebP (the smallest of each). */
  private static final String WEBP_LOSSLESS = "UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==";

  private static final String WEBP_LOSSY =
      "UklGRiIAAABXRUJQVlA4IBYAAAAwAQCdASoBAAEADsD+JaQAA3AAAAAA";

  @Test
  void aLargePngWithHiddenTextBecomesAScaledJpegWithoutIt() throws Exception {
    BufferedImage picture = new BufferedImage(1600, 1200, BufferedImage.TYPE_INT_ARGB);
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(picture, "png", png);
    // a script after the image's end, as a polyglot file would carry it
    png.write("<script>alert(1)</script>".getBytes(StandardCharsets.US_ASCII));
    SiteImages.Encoded encoded = SiteImages.reencode(png.toByteArray(), "head.photo");
    assertThat(encoded.width()).isEqualTo(SiteImages.MAX_SIDE);
    assertThat(encoded.height()).isEqualTo(360);
    assertThat(new String(encoded.jpeg(), StandardCharsets.ISO_8859_1)).doesNotContain("script");
    try (ImageInputStream in =
        ImageIO.createImageInputStream(new ByteArrayInputStream(encoded.jpeg()))) {
      ImageReader reader = ImageIO.getImageReaders(in).next();
      assertThat(reader.getFormatName()).isEqualToIgnoringCase("jpeg");
      reader.setInput(in);
      IIOMetadata metadata = reader.getImageMetadata(0);
      // only the JPEG's own markers: no EXIF (APP1) or comment (COM) segment
      String tree = nodeNames(metadata.getAsTree("javax_imageio_jpeg_image_1.0"));
      assertThat(tree).doesNotContain("unknown").doesNotContain("com ");
    }
  }

  @Test
  void webpPhotosAreRead() {
    for (String webp : new String[] {WEBP_LOSSLESS, WEBP_LOSSY}) {
      SiteImages.Encoded encoded = SiteImages.reencode(Base64.getDecoder().decode(webp), "p");
      assertThat(encoded.width()).isEqualTo(1);
      assertThat(encoded.jpeg()).startsWith((byte) 0xFF, (byte) 0xD8);
    }
  }

  @Test
  void anythingElseIsRefusedOnItsField() {
    byte[] pdf = "%PDF-1.7\n%%EOF".getBytes(StandardCharsets.US_ASCII);
    assertThatThrownBy(() -> SiteImages.reencode(pdf, "head.photo"))
        .isInstanceOfSatisfying(
            DomainError.Invalid.class,
            e ->
                assertThat(e.errors())
                    .singleElement()
                    .satisfies(
                        f -> {
                          assertThat(f.field()).isEqualTo("head.photo");
                          assertThat(f.code()).isEqualTo("image-type");
                        }));
    assertThatThrownBy(
            () -> SiteImages.reencode(new byte[(int) SiteImages.MAX_BYTES + 1], "head.photo"))
        .isInstanceOfSatisfying(
            DomainError.Invalid.class,
            e -> assertThat(e.errors().get(0).code()).isEqualTo("image-too-large"));
  }

  private static String nodeNames(org.w3c.dom.Node node) {
    StringBuilder out =
        new StringBuilder(node.getNodeName().toLowerCase(java.util.Locale.ROOT)).append(' ');
    for (org.w3c.dom.Node c = node.getFirstChild(); c != null; c = c.getNextSibling()) {
      out.append(nodeNames(c));
    }
    return out.toString();
  }
}
