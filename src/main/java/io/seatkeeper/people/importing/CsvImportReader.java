package io.seatkeeper.people.importing;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.seatkeeper.people.AreaView;
import io.seatkeeper.people.ImportFileRejected;
import io.seatkeeper.people.ImportOutcome;
import io.seatkeeper.people.ProfileRules;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads a people upload: UTF-8 with or without a byte-order mark, comma separated, RFC
 * 4180 quoting, a header row naming the columns in any order. A file that cannot be read
 * as such is rejected whole, with a message that names the problem; a row that breaks a
 * rule is marked invalid with its line and reason, and the others go on.
 */
public final class CsvImportReader {

	/** Columns a header may have at most. */
	static final int MAX_COLUMNS = 50;

	/** Characters a physical line may have at most. */
	static final int MAX_LINE = 10_000;

	private static final Map<String, String> KNOWN = Map.of("username", "username", "email", "email", "firstname",
			"first_name", "lastname", "last_name", "area", "area");

	private CsvImportReader() {
	}

	/**
	 * The rows of the file, each valid or invalid on its own.
	 * @param areas the areas by lower-cased name
	 * @throws ImportFileRejected if the file cannot be read as a people upload
	 */
	public static List<ImportRow> read(byte[] bytes, Map<String, AreaView> areas, AreaView primary) {
		String text = decode(bytes);
		checkLineLengths(text);
		checkDelimiter(text);
		List<ImportRow> rows = new ArrayList<>();
		// Empty lines are read as records and skipped below, so that every line counts.
		try (CSVParser parser = CSVFormat.RFC4180.builder()
			.setIgnoreEmptyLines(false)
			.get()
			.parse(new StringReader(text))) {
			long lastLine = 0;
			Map<String, Integer> columns = null;
			int width = 0;
			Map<String, Integer> seen = new HashMap<>();
			for (CSVRecord record : parser) {
				int line = (int) lastLine + 1;
				lastLine = parser.getCurrentLineNumber();
				if (record.size() == 1 && record.get(0).isBlank()) {
					continue;
				}
				if (columns == null) {
					columns = header(record);
					width = record.size();
					continue;
				}
				rows.add(row(record, line, columns, width, areas, primary, seen));
			}
			if (columns == null) {
				throw new ImportFileRejected("import.file.empty");
			}
		}
		catch (UncheckedIOException | IOException ex) {
			throw malformed(ex);
		}
		catch (IllegalStateException ex) {
			throw malformed(ex);
		}
		if (rows.isEmpty()) {
			throw new ImportFileRejected("import.file.noRows");
		}
		return rows;
	}

	private static ImportFileRejected malformed(Exception ex) {
		String message = String.valueOf(ex.getMessage());
		// "(startline 2) EOF reached…", "Invalid character … at line: 3, position: 7"
		java.util.regex.Matcher line = java.util.regex.Pattern.compile("line:? ([\\d,]+)").matcher(message);
		String where = line.find() ? line.group(1).replace(",", "") : "?";
		if (message.contains("EOF reached before encapsulated token finished")) {
			return new ImportFileRejected("import.file.unclosedQuote", where);
		}
		return new ImportFileRejected("import.file.malformedQuote", where);
	}

	private static String decode(byte[] bytes) {
		if (bytes.length == 0) {
			throw new ImportFileRejected("import.file.empty");
		}
		if (bytes.length >= 2 && ((bytes[0] == (byte) 0xFE && bytes[1] == (byte) 0xFF)
				|| (bytes[0] == (byte) 0xFF && bytes[1] == (byte) 0xFE))) {
			throw new ImportFileRejected("import.file.utf16");
		}
		int offset = (bytes.length >= 3 && bytes[0] == (byte) 0xEF && bytes[1] == (byte) 0xBB
				&& bytes[2] == (byte) 0xBF) ? 3 : 0;
		// UTF-16 text without a byte-order mark has a zero in every other byte (mostly
		// Latin text); other zero bytes mean a file that is not text at all.
		int[] zeros = new int[2];
		for (int i = 0; i < bytes.length; i++) {
			if (bytes[i] == 0) {
				zeros[i % 2]++;
			}
		}
		int most = Math.max(zeros[0], zeros[1]);
		if (most > 0) {
			boolean utf16 = most * 4 >= bytes.length && Math.min(zeros[0], zeros[1]) * 8 <= most;
			throw new ImportFileRejected(utf16 ? "import.file.utf16" : "import.file.binary");
		}
		try {
			String text = StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes, offset, bytes.length - offset))
				.toString();
			if (text.isBlank()) {
				throw new ImportFileRejected("import.file.empty");
			}
			return text;
		}
		catch (CharacterCodingException ex) {
			throw new ImportFileRejected("import.file.notUtf8");
		}
	}

	private static void checkLineLengths(String text) {
		int line = 1;
		int start = 0;
		for (int i = 0; i <= text.length(); i++) {
			if (i == text.length() || text.charAt(i) == '\n') {
				if (i - start > MAX_LINE) {
					throw new ImportFileRejected("import.file.lineTooLong", String.valueOf(line), MAX_LINE);
				}
				line++;
				start = i + 1;
			}
		}
	}

	/**
	 * Refuses a file whose header has no comma but another delimiter, before its quotes
	 * can be taken for the problem.
	 */
	private static void checkDelimiter(String text) {
		String first = text.lines().filter((line) -> !line.isBlank()).findFirst().orElse("");
		if (first.indexOf(',') < 0) {
			for (String delimiter : List.of(";", "\t", "|")) {
				if (first.contains(delimiter)) {
					throw new ImportFileRejected("import.file.delimiter", "\t".equals(delimiter) ? "tab" : delimiter);
				}
			}
		}
	}

	private static Map<String, Integer> header(CSVRecord record) {
		if (record.size() > MAX_COLUMNS) {
			throw new ImportFileRejected("import.file.tooManyColumns", record.size(), MAX_COLUMNS);
		}
		Map<String, Integer> columns = new LinkedHashMap<>();
		List<String> found = new ArrayList<>();
		for (int i = 0; i < record.size(); i++) {
			String name = record.get(i).strip();
			found.add(name);
			String known = KNOWN.get(name.toLowerCase(Locale.ROOT).replaceAll("[^a-z]", ""));
			if (known != null && columns.putIfAbsent(known, i) != null) {
				throw new ImportFileRejected("import.file.duplicateColumn", known);
			}
		}
		for (String required : List.of("username", "email")) {
			if (!columns.containsKey(required)) {
				String shown = String.join(", ", found);
				if (shown.length() > 200) {
					shown = shown.substring(0, 200) + "…";
				}
				throw new ImportFileRejected("import.file.missingColumn", required, shown);
			}
		}
		return columns;
	}

	private static ImportRow row(CSVRecord record, int line, Map<String, Integer> columns, int width,
			Map<String, AreaView> areas, AreaView primary, Map<String, Integer> seen) {
		String username = value(record, columns, "username");
		String email = value(record, columns, "email");
		String firstName = value(record, columns, "first_name");
		String lastName = value(record, columns, "last_name");
		String areaName = value(record, columns, "area");
		AreaView area = areaName.isEmpty() ? primary : areas.get(ProfileRules.key(areaName));
		ImportRow row = new ImportRow(line, username, email, firstName, lastName, areaName,
				(area != null) ? area.id() : null, (area != null) ? area.pool() : null, ImportOutcome.CREATE, null,
				List.of());
		if (record.size() != width) {
			return row.with(ImportOutcome.INVALID, "import.row.fieldCount", record.size(), width);
		}
		if (username.isEmpty()) {
			return row.with(ImportOutcome.INVALID, "import.row.usernameMissing");
		}
		if (username.length() > ProfileRules.USERNAME_MAX) {
			return row.with(ImportOutcome.INVALID, "import.row.tooLong", "username", ProfileRules.USERNAME_MAX);
		}
		if (!ProfileRules.validUsername(username)) {
			return row.with(ImportOutcome.INVALID, "import.row.usernameInvalid");
		}
		if (email.isEmpty()) {
			return row.with(ImportOutcome.INVALID, "import.row.emailMissing");
		}
		if (email.length() > ProfileRules.EMAIL_MAX) {
			return row.with(ImportOutcome.INVALID, "import.row.tooLong", "email", ProfileRules.EMAIL_MAX);
		}
		if (!ProfileRules.validEmail(email)) {
			return row.with(ImportOutcome.INVALID, "import.row.emailInvalid");
		}
		for (String[] name : new String[][] { { "first_name", firstName }, { "last_name", lastName } }) {
			if (name[1].length() > ProfileRules.NAME_MAX) {
				return row.with(ImportOutcome.INVALID, "import.row.tooLong", name[0], ProfileRules.NAME_MAX);
			}
			if (!ProfileRules.validName(name[1])) {
				return row.with(ImportOutcome.INVALID, "import.row.nameInvalid", name[0]);
			}
		}
		if (area == null) {
			return row.with(ImportOutcome.INVALID, "import.row.areaUnknown", areaName);
		}
		Integer first = seen.putIfAbsent(ProfileRules.key(username), line);
		if (first != null) {
			return row.with(ImportOutcome.INVALID, "import.row.duplicate", String.valueOf(first));
		}
		return row;
	}

	private static String value(CSVRecord record, Map<String, Integer> columns, String column) {
		Integer index = columns.get(column);
		return (index != null && index < record.size()) ? record.get(index).strip() : "";
	}

}
