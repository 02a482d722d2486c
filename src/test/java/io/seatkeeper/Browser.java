package io.seatkeeper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.ElementNotInteractableException;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real, headless Chromium driven through ChromeDriver, for the journey tests: Debian's
 * {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver} (installed by
 * {@code .ci/run}; {@link BrowserInstallation} says where else to look, and whether a
 * missing browser skips or fails the test), a fresh profile and home folder per browser,
 * a download folder of its own, and helpers that wait for conditions instead of sleeping.
 * {@link #assertAccessible()} runs axe-core in the page and fails on any violation,
 * whatever its impact; {@link #assertNoPolicyViolations()} fails when Chromium refused
 * something under the page's Content-Security-Policy.
 */
public final class Browser implements AutoCloseable {

	/** Where Debian's Chromium lives. */
	public static final String CHROMIUM = "/usr/bin/chromium";

	/** Where Debian's ChromeDriver lives. */
	public static final String CHROMEDRIVER = "/usr/bin/chromedriver";

	private static final Duration WAIT = Duration.ofSeconds(15);

	private static final String AXE_SCRIPT = "axe.min.js";

	private static String axe;

	private final String baseUrl;

	private final Path home;

	private final Path downloads;

	private final ChromeDriverService service;

	private final ChromeDriver driver;

	private Browser(String baseUrl, BrowserInstallation installation) {
		this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
		try {
			this.home = Files.createTempDirectory("seatkeeper-browser-");
			this.downloads = Files.createDirectories(this.home.resolve("downloads"));
			Files.createDirectories(this.home.resolve("config"));
			Files.createDirectories(this.home.resolve("cache"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.service = new ChromeDriverService.Builder().usingDriverExecutable(installation.chromedriver().toFile())
			.usingAnyFreePort()
			.withEnvironment(Map.of("HOME", this.home.toString(), "XDG_CONFIG_HOME",
					this.home.resolve("config").toString(), "XDG_CACHE_HOME", this.home.resolve("cache").toString()))
			.build();
		ChromeOptions options = new ChromeOptions();
		options.setBinary(installation.chromium().toFile());
		options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
				"--window-size=1280,1024", "--lang=en", "--force-prefers-reduced-motion",
				"--user-data-dir=" + this.home.resolve("profile"));
		Map<String, Object> prefs = new HashMap<>();
		prefs.put("download.default_directory", this.downloads.toString());
		prefs.put("download.prompt_for_download", false);
		prefs.put("intl.accept_languages", "en");
		options.setExperimentalOption("prefs", prefs);
		// Chromium's console, where it reports what the Content-Security-Policy refused.
		options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
		try {
			this.driver = new ChromeDriver(this.service, options);
		}
		catch (RuntimeException ex) {
			this.service.stop();
			deleteQuietly(this.home);
			throw ex;
		}
	}

	/**
	 * Starts a browser whose relative paths are opened against the given base URL, e.g.
	 * {@code http://localhost:PORT}. Without Chromium or ChromeDriver the calling test is
	 * skipped with the reason, or fails when the browser is required
	 * ({@code SEATKEEPER_BROWSER_REQUIRED=true}, which {@code .ci/run} exports; see
	 * {@link BrowserInstallation}); test classes marked {@link BrowserTest} are skipped
	 * before their application context starts.
	 */
	public static Browser start(String baseUrl) {
		BrowserInstallation installation = BrowserInstallation.current();
		BrowserInstallation.Verdict verdict = installation.verdict();
		if (verdict.outcome() == BrowserInstallation.Outcome.FAIL) {
			throw new IllegalStateException(verdict.reason());
		}
		Assumptions.assumeTrue(verdict.outcome() == BrowserInstallation.Outcome.RUN, verdict.reason());
		return new Browser(baseUrl, installation);
	}

	/**
	 * The underlying WebDriver, for what the helpers do not cover.
	 */
	public WebDriver driver() {
		return this.driver;
	}

	/**
	 * The folder where this browser saves downloads.
	 */
	public Path downloads() {
		return this.downloads;
	}

	/**
	 * Opens a path of the application (e.g. {@code /admin/system/license}) and waits for
	 * the page to load.
	 */
	public Browser open(String path) {
		this.driver.get(this.baseUrl + path);
		waitForLoad();
		return this;
	}

	/**
	 * The current page's path and query, without the base URL.
	 */
	public String path() {
		String url = this.driver.getCurrentUrl();
		return (url != null && url.startsWith(this.baseUrl)) ? url.substring(this.baseUrl.length()) : url;
	}

	/**
	 * Waits until the condition holds (at most 15 seconds) and returns its value.
	 */
	public <T> T waitFor(Function<? super WebDriver, T> condition) {
		return new WebDriverWait(this.driver, WAIT).until(condition);
	}

	/**
	 * Waits until the page's visible text contains the given text.
	 */
	public Browser waitForText(String text) {
		waitFor((driver) -> text().contains(text));
		return this;
	}

	/**
	 * Waits until the document has finished loading.
	 */
	public Browser waitForLoad() {
		waitFor((driver) -> "complete"
			.equals(((JavascriptExecutor) driver).executeScript("return document.readyState")));
		return this;
	}

	/**
	 * The field whose label reads {@code labelOrId} (or whose id is {@code labelOrId}).
	 */
	public WebElement field(String labelOrId) {
		List<WebElement> labels = this.driver
			.findElements(By.xpath("//label[normalize-space(.)=" + xpathLiteral(labelOrId) + "]"));
		for (WebElement label : labels) {
			String target = label.getAttribute("for");
			if (target != null && !target.isEmpty()) {
				return this.driver.findElement(By.id(target));
			}
			List<WebElement> nested = label.findElements(By.cssSelector("input, select, textarea"));
			if (!nested.isEmpty()) {
				return nested.get(0);
			}
		}
		try {
			return this.driver.findElement(By.id(labelOrId));
		}
		catch (NoSuchElementException ex) {
			throw new AssertionError("No field labelled or with id '" + labelOrId + "' on " + path());
		}
	}

	/**
	 * Types a value into the field labelled {@code labelOrId} (or with that id),
	 * replacing what it held.
	 */
	public Browser fill(String labelOrId, String value) {
		WebElement field = field(labelOrId);
		field.clear();
		field.sendKeys(value);
		return this;
	}

	/**
	 * Ticks or clears the checkbox labelled {@code labelOrId} (or with that id).
	 */
	public Browser check(String labelOrId, boolean checked) {
		WebElement box = field(labelOrId);
		if (box.isSelected() != checked) {
			box.click();
		}
		return this;
	}

	/**
	 * Clicks the button or link whose text (or value) is {@code textOrId}, or the element
	 * with that id, and waits until the next page has replaced this one and has loaded.
	 */
	public Browser click(String textOrId) {
		WebElement page = this.driver.findElement(By.tagName("html"));
		clickable(element(textOrId));
		waitFor(ExpectedConditions.stalenessOf(page));
		waitForLoad();
		return this;
	}

	/**
	 * Clicks the button or link whose text (or value) is {@code textOrId}, or the element
	 * with that id, for an action that stays on this page (expanding a section, a
	 * download).
	 */
	public Browser press(String textOrId) {
		clickable(element(textOrId));
		return this;
	}

	private void clickable(WebElement element) {
		WebDriverException[] last = new WebDriverException[1];
		try {
			waitFor((driver) -> {
				try {
					((JavascriptExecutor) driver)
						.executeScript("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", element);
					element.click();
					return true;
				}
				catch (ElementNotInteractableException ex) {
					last[0] = ex;
					return false;
				}
			});
		}
		catch (TimeoutException ex) {
			throw new AssertionError("Could not click " + element + " on " + path() + ": "
					+ ((last[0] != null) ? last[0].getRawMessage() : "?"), ex);
		}
	}

	/**
	 * The button, link or submit input whose visible text (or value) is {@code textOrId},
	 * or the element with that id.
	 */
	public WebElement element(String textOrId) {
		String literal = xpathLiteral(textOrId);
		List<WebElement> found = this.driver
			.findElements(By.xpath("//button[normalize-space(.)=" + literal + "] | //a[normalize-space(.)=" + literal
					+ "] | //input[(@type='submit' or @type='button') and @value=" + literal + "]"));
		for (WebElement element : found) {
			if (element.isDisplayed()) {
				return element;
			}
		}
		List<WebElement> byId = this.driver.findElements(By.id(textOrId));
		if (!byId.isEmpty()) {
			return byId.get(0);
		}
		if (!found.isEmpty()) {
			return found.get(0);
		}
		throw new AssertionError("No button, link or element '" + textOrId + "' on " + path());
	}

	/**
	 * The visible text of the whole page.
	 */
	public String text() {
		return this.driver.findElement(By.tagName("body")).getText();
	}

	/**
	 * The visible text of the element with the given id.
	 */
	public String text(String id) {
		return this.driver.findElement(By.id(id)).getText();
	}

	/**
	 * Sets the window's width (the height stays), as a phone or a desktop would have it,
	 * and waits for the page to lay itself out again.
	 */
	public Browser width(int width) {
		Dimension size = this.driver.manage().window().getSize();
		if (size.getWidth() == width) {
			return this;
		}
		Number before = (Number) this.driver.executeScript("return window.innerWidth");
		this.driver.manage().window().setSize(new Dimension(width, size.getHeight()));
		waitFor((driver) -> ((Number) ((JavascriptExecutor) driver).executeScript("return window.innerWidth"))
			.intValue() != before.intValue());
		return this;
	}

	/**
	 * How far, in CSS pixels, the current page scrolls sideways: how much wider its
	 * content is than the window (0 when nothing sticks out).
	 */
	public int sidewaysScroll() {
		Number overflow = (Number) this.driver
			.executeScript("return Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
					+ " - document.documentElement.clientWidth");
		return Math.max(0, overflow.intValue());
	}

	/**
	 * The elements of the current page that stick out of the window on the right, as
	 * {@code tag#id.class (right edge)}, at most ten: what makes a page scroll sideways.
	 */
	@SuppressWarnings("unchecked")
	public List<String> sidewaysCulprits() {
		return (List<String>) this.driver.executeScript(
				"""
						const width = document.documentElement.clientWidth;
						return Array.from(document.querySelectorAll('body *'))
						  .filter(e => e.getClientRects().length > 0 && e.getBoundingClientRect().right > width + 1)
						  .filter(e => !e.parentElement || e.parentElement.getBoundingClientRect().right <= width + 1)
						  .slice(0, 10)
						  .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
						    + (typeof e.className === 'string' && e.className ? '.' + e.className.trim().replaceAll(' ', '.') : '')
						    + ' (' + Math.round(e.getBoundingClientRect().right) + ')');
						""");
	}

	/**
	 * Saves a screenshot of the browser window to the given file, creating its folders.
	 */
	public Path screenshot(Path file) {
		try {
			if (file.getParent() != null) {
				Files.createDirectories(file.getParent());
			}
			Path shot = ((TakesScreenshot) this.driver).getScreenshotAs(OutputType.FILE).toPath();
			Files.copy(shot, file, StandardCopyOption.REPLACE_EXISTING);
			Files.deleteIfExists(shot);
			return file;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Saves a screenshot of the whole page, not only the window, to the given file: the
	 * window grows to the page's height for the shot.
	 */
	public Path screenshotWholePage(Path file) {
		Dimension size = this.driver.manage().window().getSize();
		Number height = (Number) this.driver
			.executeScript("return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)");
		try {
			this.driver.manage()
				.window()
				.setSize(new Dimension(size.getWidth(), Math.min(height.intValue() + 120, 4000)));
			return screenshot(file);
		}
		finally {
			this.driver.manage().window().setSize(size);
		}
	}

	/**
	 * Waits until a file whose name starts with {@code prefix} is fully downloaded, and
	 * returns it.
	 */
	public Path waitForDownload(String prefix) {
		return waitFor((driver) -> {
			try (Stream<Path> files = Files.list(this.downloads)) {
				return files
					.filter((file) -> file.getFileName().toString().startsWith(prefix)
							&& !file.getFileName().toString().endsWith(".crdownload"))
					.findFirst()
					.orElse(null);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		});
	}

	/**
	 * Runs axe-core on the current page and fails, listing them, if it finds any
	 * accessibility violation (minor, moderate, serious or critical).
	 */
	public Browser assertAccessible() {
		List<Map<String, Object>> violations = violations();
		if (!violations.isEmpty()) {
			String list = violations.stream()
				.map((violation) -> "- [" + violation.get("impact") + "] " + violation.get("id") + ": "
						+ violation.get("help") + " at " + violation.get("nodes"))
				.collect(Collectors.joining("\n"));
			throw new AssertionError("Accessibility violations on " + path() + ":\n" + list);
		}
		return this;
	}

	/**
	 * The violations axe-core finds on the current page, of any impact: id, impact, help
	 * and the first few offending nodes of each.
	 */
	@SuppressWarnings("unchecked")
	public List<Map<String, Object>> violations() {
		JavascriptExecutor js = this.driver;
		js.executeScript(axeScript());
		this.driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
		Object result = js.executeAsyncScript("""
				const done = arguments[arguments.length - 1];
				axe.run(document, { resultTypes: ['violations'] })
				  .then(r => done(r.violations
				    .map(v => ({ id: v.id, impact: v.impact, help: v.help,
				      nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' ' + n.html.substring(0, 160)) }))))
				  .catch(e => done([{ id: 'axe-error', impact: 'critical', help: String(e), nodes: [] }]));
				""");
		return (List<Map<String, Object>>) result;
	}

	/**
	 * What Chromium refused under a Content-Security-Policy since the last call (the
	 * console's messages, on this page and those before it), one message each.
	 */
	public List<String> policyViolations() {
		return this.driver.manage()
			.logs()
			.get(LogType.BROWSER)
			.getAll()
			.stream()
			.map(LogEntry::getMessage)
			.filter((message) -> message.contains("Content Security Policy"))
			.toList();
	}

	/**
	 * Fails, listing them, if Chromium refused anything under a Content-Security-Policy
	 * since the last check.
	 */
	public Browser assertNoPolicyViolations() {
		List<String> violations = policyViolations();
		if (!violations.isEmpty()) {
			throw new AssertionError(
					"Content-Security-Policy violations up to " + path() + ":\n- " + String.join("\n- ", violations));
		}
		return this;
	}

	private static synchronized String axeScript() {
		if (axe == null) {
			try (InputStream in = Browser.class.getClassLoader().getResourceAsStream(AXE_SCRIPT)) {
				if (in == null) {
					throw new IllegalStateException("axe-core's " + AXE_SCRIPT + " is not on the test classpath");
				}
				axe = new String(in.readAllBytes(), StandardCharsets.UTF_8);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		return axe;
	}

	/**
	 * Signs in through the sign-in form and waits for the next page.
	 */
	public Browser signIn(String username, String password) {
		open("/login");
		this.driver.findElement(By.id("username")).sendKeys(username);
		this.driver.findElement(By.id("password")).sendKeys(password);
		WebElement page = this.driver.findElement(By.tagName("html"));
		this.driver.findElement(By.cssSelector("form[action$='/login'] button[type=submit]")).click();
		waitFor(ExpectedConditions.stalenessOf(page));
		waitForLoad();
		return this;
	}

	/**
	 * Deletes the browser's cookies, signing out of the application.
	 */
	public Browser forgetSession() {
		this.driver.manage().deleteAllCookies();
		return this;
	}

	@Override
	public void close() {
		try {
			this.driver.quit();
		}
		finally {
			this.service.stop();
			deleteQuietly(this.home);
		}
	}

	private static String xpathLiteral(String text) {
		if (!text.contains("'")) {
			return "'" + text + "'";
		}
		return "concat('" + text.replace("'", "', \"'\", '") + "')";
	}

	private static void deleteQuietly(Path folder) {
		try (Stream<Path> files = Files.walk(folder)) {
			files.sorted(Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
		}
		catch (IOException ex) {
			// A temporary folder; the system cleans it up eventually.
		}
	}

	/**
	 * A condition for {@link #waitFor}: the element with the given id is visible.
	 */
	public static Function<WebDriver, WebElement> visible(String id) {
		return ExpectedConditions.visibilityOfElementLocated(By.id(id));
	}

}
