package io.seatkeeper.system;

import java.util.List;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Which entry of the console's navigation a page belongs to, so that the layout marks it:
 * the longest path that the page's path begins with. Templates call it as
 * {@code @consoleNavigation}.
 */
@Component
public class ConsoleNavigation {

	private static final List<String> SECTIONS = List.of("/admin/system/license", "/admin/system/areas",
			"/admin/system/audit", "/admin/system/mail", "/admin/system/directory", "/admin/system", "/admin/people");

	/**
	 * The navigation entry's path that the page at {@code path} belongs to ({@code /} for
	 * the home page and any page outside the console).
	 * @param path the page's path, without the context path
	 * @return one of the navigation's paths
	 */
	public String section(String path) {
		if (path == null) {
			return "/";
		}
		for (String section : SECTIONS) {
			if (path.equals(section) || path.startsWith(section + "/")) {
				return section;
			}
		}
		return "/";
	}

	/**
	 * The path of the page being rendered, without the context path: the path the browser
	 * asked for, also when an error page is rendered for it.
	 * @return the page's path, {@code /} outside a request
	 */
	public String path() {
		if (!(RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes)) {
			return "/";
		}
		HttpServletRequest request = attributes.getRequest();
		Object original = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
		String uri = (original instanceof String text) ? text : request.getRequestURI();
		String contextPath = request.getContextPath();
		if (contextPath != null && !contextPath.isEmpty() && uri.startsWith(contextPath)) {
			uri = uri.substring(contextPath.length());
		}
		return uri.isEmpty() ? "/" : uri;
	}

}
