package io.wingu.controlplane.sites;

import io.wingu.controlplane.app.DomainError;
import io.wingu.controlplane.app.FieldError;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSDocument;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSObject;
import org.apache.pdfbox.pdmodel.PDDocument;

/**
 * Whether uploaded bytes are a PDF that is safe to publish: it parses (Apache PDFBox) and has at
 * least one page, and nowhere in it — catalog, names tree, pages, annotations, form fields, or an
 * object nothing points to — is there JavaScript, a Launch action, an embedded file or an XFA form.
 * Every object is looked at as plain PDF syntax, so no new place an action can hide escapes it.
 */
final class PdfSafety {

  private static final COSName JS = COSName.getPDFName("JS");
  private static final COSName JAVASCRIPT = COSName.getPDFName("JavaScript");
  private static final COSName LAUNCH = COSName.getPDFName("Launch");
  private static final COSName EMBEDDED_FILES = COSName.getPDFName("EmbeddedFiles");
  private static final COSName EMBEDDED_FILE = COSName.getPDFName("EmbeddedFile");
  private static final COSName FILE_ATTACHMENT = COSName.getPDFName("FileAttachment");
  private static final COSName GOTO_EMBEDDED = COSName.getPDFName("GoToE");
  private static final COSName XFA = COSName.getPDFName("XFA");
  private static final COSName EF = COSName.getPDFName("EF");

  private PdfSafety() {}

  /**
   * Throws a 400 naming {@code file} unless {@code bytes} are a safe PDF; CPU-bound, call off the
   * event loop.
   */
  static void check(byte[] bytes) {
    try (PDDocument pdf = Loader.loadPDF(bytes)) {
      if (pdf.isEncrypted()) {
        throw refused("an encrypted PDF cannot be checked; upload it without a password");
      }
      if (pdf.getNumberOfPages() < 1) {
        throw refused("the PDF has no pages");
      }
      String found = unsafePart(pdf.getDocument());
      if (found != null) {
        throw refused("the PDF contains " + found + ", which published documents may not carry");
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof DomainError.Invalid p) {
        throw p;
      }
      throw refused("the file is not a PDF that can be read");
    }
  }

  /**
   * What unsafe thing the document holds, or null: every object from the trailer and the xref
   * table.
   */
  private static String unsafePart(COSDocument document) {
    Deque<COSBase> pending = new ArrayDeque<>();
    Set<COSBase> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    pending.push(document.getTrailer());
    for (var key : document.getXrefTable().keySet()) {
      COSObject object = document.getObjectFromPool(key);
      if (object != null) {
        pending.push(object);
      }
    }
    while (!pending.isEmpty()) {
      COSBase next = pending.pop();
      if (next instanceof COSObject reference) {
        next = reference.getObject();
      }
      if (next == null || !seen.add(next)) {
        continue;
      }
      if (next instanceof COSDictionary dict) {
        String found = unsafe(dict);
        if (found != null) {
          return found;
        }
        pending.addAll(dict.getValues());
      } else if (next instanceof COSArray array) {
        array.forEach(pending::push);
      }
    }
    return null;
  }

  private static String unsafe(COSDictionary dict) {
    COSBase action = dict.getDictionaryObject(COSName.S);
    if (dict.containsKey(JS) || JAVASCRIPT.equals(action) || dict.containsKey(JAVASCRIPT)) {
      return "JavaScript";
    }
    if (LAUNCH.equals(action)) {
      return "a Launch action";
    }
    if (GOTO_EMBEDDED.equals(action)
        || dict.containsKey(EMBEDDED_FILES)
        || dict.containsKey(EF)
        || EMBEDDED_FILE.equals(dict.getDictionaryObject(COSName.TYPE))
        || FILE_ATTACHMENT.equals(dict.getDictionaryObject(COSName.SUBTYPE))) {
      return "an embedded file";
    }
    if (dict.containsKey(XFA)) {
      return "an XFA form (which can carry scripts)";
    }
    return null;
  }

  private static DomainError refused(String why) {
    return DomainError.invalid(
        "The file is not a safe PDF: " + why,
        List.of(
            new FieldError(
                "file",
                "must be a PDF without scripts, launch actions or attached files: " + why)));
  }
}
