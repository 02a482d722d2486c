package io.seatkeeper.scim;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The {@code attributes} and {@code excludedAttributes} query parameters (RFC 7644, 3.9):
 * which attributes of a resource are returned. {@code id} and {@code schemas} are always
 * returned. A name may be a sub-attribute ({@code name.givenName}) and may carry its
 * schema's URN.
 */
final class Projection {

	private static final Set<String> ALWAYS = Set.of("id", "schemas");

	private final Map<String, Set<String>> attributes;

	private final Map<String, Set<String>> excluded;

	private Projection(Map<String, Set<String>> attributes, Map<String, Set<String>> excluded) {
		this.attributes = attributes;
		this.excluded = excluded;
	}

	static Projection of(String attributes, String excludedAttributes, String coreSchema) {
		return new Projection(parse(attributes, coreSchema), parse(excludedAttributes, coreSchema));
	}

	/**
	 * Whether the attribute is returned at all (a resource's members, for instance, need
	 * not be read when they are excluded).
	 */
	boolean returns(String attribute) {
		String key = attribute.toLowerCase(Locale.ROOT);
		if (!this.attributes.isEmpty()) {
			return this.attributes.containsKey(key);
		}
		Set<String> sub = this.excluded.get(key);
		return sub == null || !sub.isEmpty();
	}

	ObjectNode apply(ObjectNode resource) {
		if (this.attributes.isEmpty() && this.excluded.isEmpty()) {
			return resource;
		}
		ObjectNode projected = ScimJson.object();
		Iterator<Map.Entry<String, JsonNode>> fields = resource.fields();
		while (fields.hasNext()) {
			Map.Entry<String, JsonNode> field = fields.next();
			String key = field.getKey().toLowerCase(Locale.ROOT);
			if (ALWAYS.contains(key)) {
				projected.set(field.getKey(), field.getValue());
				continue;
			}
			if (!this.attributes.isEmpty()) {
				Set<String> sub = this.attributes.get(key);
				if (sub == null) {
					continue;
				}
				projected.set(field.getKey(), sub.isEmpty() ? field.getValue() : keep(field.getValue(), sub));
			}
			else {
				Set<String> sub = this.excluded.get(key);
				if (sub == null) {
					projected.set(field.getKey(), field.getValue());
				}
				else if (!sub.isEmpty()) {
					projected.set(field.getKey(), drop(field.getValue(), sub));
				}
			}
		}
		return projected;
	}

	private static JsonNode keep(JsonNode value, Set<String> sub) {
		return filter(value, sub, true);
	}

	private static JsonNode drop(JsonNode value, Set<String> sub) {
		return filter(value, sub, false);
	}

	private static JsonNode filter(JsonNode value, Set<String> sub, boolean keep) {
		if (value.isArray()) {
			com.fasterxml.jackson.databind.node.ArrayNode array = ScimJson.object().arrayNode();
			value.forEach((item) -> array.add(filter(item, sub, keep)));
			return array;
		}
		if (!value.isObject()) {
			return value;
		}
		ObjectNode copy = ScimJson.object();
		value.fields().forEachRemaining((field) -> {
			if (sub.contains(field.getKey().toLowerCase(Locale.ROOT)) == keep) {
				copy.set(field.getKey(), field.getValue());
			}
		});
		return copy;
	}

	/**
	 * By top-level attribute (lower case), the sub-attributes named (empty: the whole
	 * attribute).
	 */
	private static Map<String, Set<String>> parse(String list, String coreSchema) {
		Map<String, Set<String>> parsed = new LinkedHashMap<>();
		if (list == null || list.isBlank()) {
			return parsed;
		}
		List<String> extensions = new ArrayList<>(
				List.of(ScimJson.SEATKEEPER.toLowerCase(Locale.ROOT), ScimJson.ENTERPRISE.toLowerCase(Locale.ROOT)));
		for (String item : list.split(",")) {
			String name = item.strip().toLowerCase(Locale.ROOT);
			if (name.isEmpty()) {
				continue;
			}
			String core = coreSchema.toLowerCase(Locale.ROOT) + ":";
			if (name.startsWith(core)) {
				name = name.substring(core.length());
			}
			String extension = extensions.stream().filter(name::startsWith).findFirst().orElse(null);
			String top;
			String sub = null;
			if (extension != null) {
				top = extension;
				sub = (name.length() > extension.length() + 1) ? name.substring(extension.length() + 1) : null;
			}
			else {
				int dot = name.indexOf('.');
				top = (dot > 0) ? name.substring(0, dot) : name;
				sub = (dot > 0) ? name.substring(dot + 1) : null;
			}
			Set<String> subs = parsed.computeIfAbsent(top, (key) -> new LinkedHashSet<>());
			if (sub == null) {
				subs.clear();
				parsed.put(top, Set.of());
			}
			else if (!(subs instanceof LinkedHashSet<String>) && subs.isEmpty()) {
				// The whole attribute was named already.
			}
			else {
				subs.add(sub);
			}
		}
		return parsed;
	}

}
