package io.wingu.templates.catalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** A scratch catalogue for load tests: the real shared folder and templates, copied, then broken on purpose. */
final class CatalogFolder {

    /** The module's catalogue sources; tests run with the module folder as working directory. */
    static final Path SOURCE = Path.of("catalog");

    private final Path root;

    CatalogFolder(Path root) {
        this.root = root;
    }

    CatalogFolder withShared() {
        copy(SOURCE.resolve(TemplateCatalog.SHARED_FOLDER), root.resolve(TemplateCatalog.SHARED_FOLDER));
        return this;
    }

    CatalogFolder withTemplate(String id) {
        copy(SOURCE.resolve(id), root.resolve(id));
        return this;
    }

    /** A copy of {@code base} under the name {@code folder}, its template.yaml replaced by {@code yaml}. */
    CatalogFolder withTemplateYaml(String folder, String base, String yaml) {
        copy(SOURCE.resolve(base), root.resolve(folder));
        write(folder + "/template.yaml", yaml);
        return this;
    }

    /** The template.yaml of a shipped template, with text replaced. */
    static String shippedYaml(String id, String target, String replacement) {
        try {
            String yaml = Files.readString(SOURCE.resolve(id).resolve("template.yaml"));
            if (!yaml.contains(target)) {
                throw new IllegalArgumentException(id + "/template.yaml does not contain: " + target);
            }
            return yaml.replace(target, replacement);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    CatalogFolder write(String relative, String text) {
        try {
            Path file = root.resolve(relative);
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    TemplateCatalog load() {
        return TemplateCatalog.load(root);
    }

    private static void copy(Path from, Path to) {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
