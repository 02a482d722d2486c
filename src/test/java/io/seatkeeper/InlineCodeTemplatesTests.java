package io.seatkeeper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No console template holds what the Content-Security-Policy refuses ({@code script-src
 * 'self'; style-src 'self'}): no inline script, no {@code <style>}, no {@code style}
 * attribute, no {@code on…} handler, no {@code javascript:} link and no htmx
 * {@code hx-on}. This covers the pages no journey opens (the mail templates are not
 * console pages and are left out).
 */
class InlineCodeTemplatesTests {

	private static final Path TEMPLATES = Path.of("src/main/resources/templates");

	private static final Pattern INLINE_SCRIPT = Pattern.compile("<script\\b(?![^>]*\\b(?:th:)?src\\s*=)[^>]*>",
			Pattern.CASE_INSENSITIVE);

	private static final Pattern REFUSED = Pattern.compile(
			"<style\\b|\\s(?:th:)?style\\s*=|\\s(?:th:)?on[a-z]+\\s*=|\\s(?:data-)?hx-on\\b|javascript:|th:inline\\s*=\\s*\"(?:javascript|css)\"",
			Pattern.CASE_INSENSITIVE);

	@Test
	void noTemplateHoldsInlineScriptsOrStyles() throws IOException {
		List<String> found = new ArrayList<>();
		try (Stream<Path> files = Files.walk(TEMPLATES)) {
			for (Path file : files.filter((path) -> path.toString().endsWith(".html"))
				.filter((path) -> !TEMPLATES.relativize(path).startsWith("mail"))
				.sorted()
				.toList()) {
				List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
				for (int i = 0; i < lines.size(); i++) {
					String line = lines.get(i);
					for (Pattern pattern : List.of(INLINE_SCRIPT, REFUSED)) {
						Matcher matcher = pattern.matcher(line);
						while (matcher.find()) {
							found.add(TEMPLATES.relativize(file) + ":" + (i + 1) + ": " + matcher.group().strip());
						}
					}
				}
			}
		}
		assertThat(found).as("inline code the Content-Security-Policy refuses").isEmpty();
	}

}
