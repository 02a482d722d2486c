package io.seatkeeper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every word a person reads comes from {@code messages.properties} (in the manner of
 * spring-petclinic's {@code I18nPropertiesSyncTest}): no template holds literal text that
 * would be shown, neither in a text node nor in a {@code title}, {@code placeholder},
 * {@code aria-label} or {@code alt} attribute, and every message key a template names
 * exists.
 */
class I18nTemplatesTests {

	private static final Path TEMPLATES = Path.of("src/main/resources/templates");

	private static final Path MESSAGES = Path.of("src/main/resources/messages/messages.properties");

	/** Attributes a person reads (or hears). */
	private static final Set<String> READ_ATTRIBUTES = Set.of("title", "placeholder", "aria-label", "alt");

	/** Thymeleaf attributes that replace or remove an element's content. */
	private static final Set<String> CONTENT_REPLACED = Set.of("th:text", "th:utext", "th:errors", "th:replace",
			"th:insert", "th:remove", "th:substituteby", "th:include");

	private static final Set<String> VOID_ELEMENTS = Set.of("area", "base", "br", "col", "embed", "hr", "img", "input",
			"link", "meta", "source", "track", "wbr");

	private static final Pattern TOKEN = Pattern.compile(
			"<!--.*?-->|<(script|style)\\b[^>]*>.*?</\\1\\s*>|<!DOCTYPE[^>]*>|</([a-zA-Z][\\w:-]*)\\s*>|<([a-zA-Z][\\w:-]*)((?:\\s+[^\\s=/>]+(?:\\s*=\\s*(?:\"[^\"]*\"|'[^']*'|[^\\s>]+))?)*)\\s*(/?)>",
			Pattern.DOTALL | Pattern.CASE_INSENSITIVE);

	private static final Pattern ATTRIBUTE = Pattern
		.compile("([^\\s=/>]+)(?:\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)'|([^\\s>]+)))?");

	private static final Pattern LETTER = Pattern.compile("\\p{L}");

	/** Thymeleaf's inlined expressions, which render messages or values. */
	private static final Pattern INLINED = Pattern.compile("\\[\\[.*?]]|\\[\\(.*?\\)]", Pattern.DOTALL);

	private static final Pattern ENTITY = Pattern.compile("&[a-zA-Z]+;|&#[0-9]+;|&#x[0-9a-fA-F]+;");

	private static final Pattern MESSAGE_KEY = Pattern.compile("#\\{([A-Za-z0-9_.-]+)");

	@Test
	void templatesHoldNoLiteralText() throws IOException {
		List<String> problems = new ArrayList<>();
		for (Path template : htmlTemplates()) {
			problems.addAll(literalText(template));
		}
		assertThat(problems).as("Literal text in templates: put it in messages.properties and use #{…}").isEmpty();
	}

	@Test
	void everyMessageKeyNamedInATemplateExists() throws IOException {
		Properties messages = new Properties();
		try (InputStream in = Files.newInputStream(MESSAGES)) {
			messages.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
		}
		Set<String> missing = new TreeSet<>();
		for (Path template : templates()) {
			String html = Files.readString(template, StandardCharsets.UTF_8);
			Matcher key = MESSAGE_KEY.matcher(html);
			while (key.find()) {
				if (!messages.containsKey(key.group(1))) {
					missing.add(TEMPLATES.relativize(template) + ": #{" + key.group(1) + "}");
				}
			}
		}
		assertThat(missing).as("Message keys used in templates but missing from messages.properties").isEmpty();
	}

	@Test
	void theCheckFindsLiteralTextAndAttributes() {
		String html = """
				<html lang="en" th:replace="~{fragments/layout :: layout(~{::title}, ~{::section})}"><section>
				<div th:text="#{a.b}">Placeholder words</div>
				<p>Hello <span th:text="${name}">you</span></p>
				<input title="Search here" th:placeholder="#{c}" placeholder="Type">
				<img th:attr="alt=#{d}" alt="Logo" src="x.png">
				<button aria-label="Close">&times;</button>
				<th:block th:replace="~{x :: y}"><p>Gone</p></th:block>
				<!-- a comment with words -->
				<script>const words = 'not shown';</script>
				<td>[[#{e.f}]] · 42 %</td>
				<p><code>username,email</code></p>
				</section></html>
				""";

		List<String> problems = literalText("sample.html", html);

		assertThat(problems).containsExactly("sample.html:3: text \"Hello\"", "sample.html:4: title=\"Search here\"",
				"sample.html:6: aria-label=\"Close\"", "sample.html:11: text \"username,email\"");
	}

	private static List<Path> htmlTemplates() throws IOException {
		return templates().stream().filter((path) -> path.toString().endsWith(".html")).toList();
	}

	private static List<Path> templates() throws IOException {
		try (Stream<Path> files = Files.walk(TEMPLATES)) {
			return files.filter(Files::isRegularFile).sorted().toList();
		}
	}

	private static List<String> literalText(Path template) throws IOException {
		return literalText(TEMPLATES.relativize(template).toString().replace('\\', '/'),
				Files.readString(template, StandardCharsets.UTF_8));
	}

	/**
	 * The literal text a person would read in the template: each as
	 * {@code file:line: text "…"} or {@code file:line: attribute="…"}.
	 */
	static List<String> literalText(String name, String html) {
		List<String> problems = new ArrayList<>();
		// Whether each open element's content is replaced at rendering.
		Deque<Boolean> replaced = new ArrayDeque<>();
		Deque<String> open = new ArrayDeque<>();
		Matcher token = TOKEN.matcher(html);
		int at = 0;
		while (token.find()) {
			text(name, html, at, token.start(), !replaced.isEmpty() && replaced.peek(), problems);
			at = token.end();
			if (token.group(2) != null) {
				String tag = token.group(2).toLowerCase(Locale.ROOT);
				while (!open.isEmpty()) {
					replaced.pop();
					if (open.pop().equals(tag)) {
						break;
					}
				}
			}
			else if (token.group(3) != null) {
				String tag = token.group(3).toLowerCase(Locale.ROOT);
				Map<String, String> attributes = attributes(token.group(4));
				boolean parentReplaced = !replaced.isEmpty() && replaced.peek();
				if (!parentReplaced && (tag.equals("html")
						|| !attributes.containsKey("th:replace") && !attributes.containsKey("th:remove"))) {
					attributes(name, html, token.start(), attributes, problems);
				}
				boolean selfClosing = !token.group(5).isEmpty() || VOID_ELEMENTS.contains(tag);
				if (!selfClosing) {
					open.push(tag);
					// A page's <html th:replace="~{fragments/layout :: layout(~{::title},
					// ~{::section})}">
					// hands its own content to the layout: that content is shown.
					boolean layout = tag.equals("html");
					replaced.push(parentReplaced
							|| (!layout && attributes.keySet().stream().anyMatch(CONTENT_REPLACED::contains)));
				}
			}
		}
		text(name, html, at, html.length(), !replaced.isEmpty() && replaced.peek(), problems);
		return problems;
	}

	private static void text(String name, String html, int from, int to, boolean replaced, List<String> problems) {
		if (replaced || from >= to) {
			return;
		}
		String text = html.substring(from, to);
		String shown = ENTITY.matcher(INLINED.matcher(text).replaceAll(" ")).replaceAll(" ");
		if (LETTER.matcher(shown).find()) {
			int offset = from + (text.length() - text.stripLeading().length());
			problems.add(name + ":" + line(html, offset) + ": text \"" + text.strip().replaceAll("\\s+", " ") + "\"");
		}
	}

	private static void attributes(String name, String html, int offset, Map<String, String> attributes,
			List<String> problems) {
		String thAttr = attributes.getOrDefault("th:attr", "");
		for (String attribute : READ_ATTRIBUTES) {
			String value = attributes.get(attribute);
			if (value == null || !LETTER.matcher(value).find()) {
				continue;
			}
			boolean dynamic = attributes.containsKey("th:" + attribute)
					|| Pattern.compile("(^|[\\s,])" + Pattern.quote(attribute) + "\\s*=").matcher(thAttr).find();
			if (!dynamic) {
				problems.add(name + ":" + line(html, offset) + ": " + attribute + "=\"" + value + "\"");
			}
		}
	}

	private static Map<String, String> attributes(String text) {
		Map<String, String> attributes = new LinkedHashMap<>();
		Matcher attribute = ATTRIBUTE.matcher(text);
		while (attribute.find()) {
			String value = (attribute.group(2) != null) ? attribute.group(2)
					: (attribute.group(3) != null) ? attribute.group(3) : attribute.group(4);
			attributes.put(attribute.group(1).toLowerCase(Locale.ROOT), (value != null) ? value : "");
		}
		return attributes;
	}

	private static int line(String html, int offset) {
		int line = 1;
		for (int i = 0; i < offset && i < html.length(); i++) {
			if (html.charAt(i) == '\n') {
				line++;
			}
		}
		return line;
	}

}
