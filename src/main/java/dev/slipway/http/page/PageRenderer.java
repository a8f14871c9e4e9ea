package dev.slipway.http.page;

import io.quarkus.qute.Engine;
import io.quarkus.qute.HtmlEscaper;
import io.quarkus.qute.ReflectionValueResolver;
import io.quarkus.qute.Template;
import io.quarkus.qute.Variant;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Renders the page from {@code templates/page/maintenance.html} with an engine of its own, so the page escapes and
 * renders the same in tests, in the {@code maintenance-page} role and in the demo, whatever Quarkus has configured.
 */
final class PageRenderer {

    private static final String TEMPLATE = "templates/page/maintenance.html";
    private static final String CONTENT_FRAGMENT = "content";

    private final Template page;

    PageRenderer() {
        Engine engine = Engine.builder()
                .addDefaults()
                .addValueResolver(new ReflectionValueResolver())
                .addResultMapper(new HtmlEscaper(List.of(Variant.TEXT_HTML)))
                .strictRendering(true)
                .build();
        page = engine.parse(readTemplate(), Variant.forContentType(Variant.TEXT_HTML), TEMPLATE);
    }

    /** The whole document; {@code nonce} authorises its inline style and script under the CSP. */
    String page(PageView view, String nonce, long refreshSeconds) {
        return page.data("view", view).data("nonce", nonce).data("refreshSeconds", refreshSeconds).render();
    }

    /** The part of the page that live updates replace. */
    String content(PageView view) {
        return page.getFragment(CONTENT_FRAGMENT).data("view", view).render();
    }

    private static String readTemplate() {
        try (InputStream in = PageRenderer.class.getClassLoader().getResourceAsStream(TEMPLATE)) {
            if (in == null) {
                throw new IllegalStateException("The maintenance page template " + TEMPLATE
                        + " is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
