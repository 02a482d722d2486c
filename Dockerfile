# One Seatkeeper node. Build the jar first (./mvnw -B package -DskipTests); docker-compose.yml
# runs two of these behind nginx (the "nodes" profile).
FROM eclipse-temurin:17-jre
RUN useradd --system --home-dir /app seatkeeper
WORKDIR /app
COPY target/seatkeeper-*.jar /app/seatkeeper.jar
USER seatkeeper
EXPOSE 8080
# exec: the JVM is PID 1 and gets the SIGTERM of docker stop, which starts the graceful stop.
ENTRYPOINT ["java", "-jar", "/app/seatkeeper.jar"]
