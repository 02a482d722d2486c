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
}
