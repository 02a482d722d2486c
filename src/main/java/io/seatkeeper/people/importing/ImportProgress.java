package io.seatkeeper.people.importing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

/**
 * How far each running import on this node has got, for the progress bar. The import's
 * own rows become visible only when its transaction commits, so progress is kept here and
 * written with each heartbeat ({@code import_progress}) for the other nodes' progress
 * bars.
 */
@Component
public class ImportProgress {

	private final Map<String, int[]> running = new ConcurrentHashMap<>();

	public void start(String id, int total) {
		this.running.put(id, new int[] { 0, Math.max(total, 1) });
	}

	public void advance(String id, int done) {
		int[] progress = this.running.get(id);
		if (progress != null) {
			progress[0] = done;
		}
	}

	public void end(String id) {
		this.running.remove(id);
	}

	/**
	 * Rows done, or -1 when this node is not running the import.
	 */
	public int done(String id) {
		int[] progress = this.running.get(id);
		return (progress != null) ? progress[0] : -1;
	}

	/**
	 * Percent done, or -1 when this node is not running the import.
	 */
	public int percent(String id) {
		int[] progress = this.running.get(id);
		return (progress != null) ? (int) Math.min(100, progress[0] * 100L / progress[1]) : -1;
	}

}
