package io.seatkeeper.system;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.web.WebProperties;
import org.springframework.boot.webmvc.autoconfigure.error.BasicErrorController;
import org.springframework.boot.webmvc.autoconfigure.error.ErrorViewResolver;
import org.springframework.boot.webmvc.error.ErrorAttributes;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.servlet.ModelAndView;

/**
 * Boot's error page, which answers what no controller answered: a path no handler maps, a
 * method or content type no endpoint takes, a refusal of Spring Security (401, 403), a
 * fault of the servlet container. The console gets its error pages as before; a request
 * under {@code /api/} gets an RFC 9457 problem, the same one {@link ApiProblems} gives
 * when the exception reaches it, whatever it asked to accept.
 */
@Controller
class ProblemErrorController extends BasicErrorController {

	private final ErrorAttributes errorAttributes;

	private final ApiProblems problems;

	ProblemErrorController(ErrorAttributes errorAttributes, WebProperties web,
			ObjectProvider<ErrorViewResolver> errorViewResolvers, ApiProblems problems) {
		super(errorAttributes, web.getError(), errorViewResolvers.orderedStream().toList());
		this.errorAttributes = errorAttributes;
		this.problems = problems;
	}

	@Override
	public ModelAndView errorHtml(HttpServletRequest request, HttpServletResponse response) {
		if (api(request)) {
			ResponseEntity<Map<String, Object>> problem = problem(request);
			response.setStatus(problem.getStatusCode().value());
			return new ModelAndView(new ProblemView(problem.getBody()));
		}
		return super.errorHtml(request, response);
	}

	@Override
	public ResponseEntity<Map<String, Object>> error(HttpServletRequest request) {
		return api(request) ? problem(request) : super.error(request);
	}

	private ResponseEntity<Map<String, Object>> problem(HttpServletRequest request) {
		ServletWebRequest web = new ServletWebRequest(request);
		HttpStatus status = getStatus(request);
		Throwable error = this.errorAttributes.getError(web);
		ResponseEntity<Object> answer = (error instanceof Exception ex) ? this.problems.answer(ex, web) : null;
		ProblemDetail problem;
		HttpHeaders headers = new HttpHeaders();
		if (answer != null && answer.getBody() instanceof ProblemDetail given && given.getStatus() == status.value()) {
			problem = given;
			// The exception's headers (Allow, Accept) are on the response already.
		}
		else {
			problem = ProblemDetail.forStatus(status);
		}
		if (problem.getInstance() == null && request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) != null) {
			problem
				.setInstance(java.net.URI.create((String) request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI)));
		}
		this.problems.coded(problem, ApiProblems.codeOf(status.value()));
		headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		return new ResponseEntity<>(fields(problem), headers, status);
	}

	private static Map<String, Object> fields(ProblemDetail problem) {
		Map<String, Object> fields = new LinkedHashMap<>();
		fields.put("type", (problem.getType() != null) ? problem.getType().toString() : "about:blank");
		fields.put("title", (problem.getTitle() != null) ? problem.getTitle()
				: HttpStatus.valueOf(problem.getStatus()).getReasonPhrase());
		fields.put("status", problem.getStatus());
		if (problem.getDetail() != null) {
			fields.put("detail", problem.getDetail());
		}
		if (problem.getInstance() != null) {
			fields.put("instance", problem.getInstance().toString());
		}
		if (problem.getProperties() != null) {
			problem.getProperties().forEach(fields::putIfAbsent);
		}
		return fields;
	}

	private static boolean api(HttpServletRequest request) {
		Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
		return uri instanceof String path && path.startsWith(request.getContextPath() + "/api/");
	}

	/**
	 * The problem as JSON, for a client of the API that asked for HTML.
	 */
	private record ProblemView(Map<String, Object> problem) implements org.springframework.web.servlet.View {

		@Override
		public String getContentType() {
			return MediaType.APPLICATION_PROBLEM_JSON_VALUE;
		}

		@Override
		public void render(Map<String, ?> model, HttpServletRequest request, HttpServletResponse response)
				throws Exception {
			response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
			response.setCharacterEncoding("UTF-8");
			tools.jackson.databind.json.JsonMapper.builder()
				.build()
				.writeValue(response.getOutputStream(), this.problem);
		}

	}

}
