package io.seatkeeper.people;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * CSV upload settings.
 *
 * @param maxFileSize the largest CSV file that can be uploaded, in the console or through
 * the API
 */
@ConfigurationProperties("seatkeeper.import")
public record ImportProperties(@DefaultValue("20MB") DataSize maxFileSize) {

	/**
	 * The largest file as a person reads it: {@code 20 MB}, {@code 512 KB}, {@code 1500
	 * bytes}.
	 */
	public String maxFileSizeText() {
		long bytes = this.maxFileSize.toBytes();
		if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0) {
			return (bytes / (1024 * 1024)) + " MB";
		}
		if (bytes >= 1024 && bytes % 1024 == 0) {
			return (bytes / 1024) + " KB";
		}
		return bytes + " bytes";
	}

}
