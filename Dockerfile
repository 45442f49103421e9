# stint server image. Build: docker build -t stint:dev .
# Runs as a non-root user; only /var/lib/stint (data_dir) and /tmp need to be writable, so the
# root file system can be mounted read-only (see deploy/kubernetes).

# ---- build stage: JDK 17 + Maven ------------------------------------------------------------
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# Dependencies first, in their own layer: source edits then rebuild without re-downloading.
# Best effort (go-offline misses some plugin dependencies); the package step is the real check.
COPY pom.xml ./
RUN mvn -B -q dependency:go-offline || true
COPY src ./src
# Tests run in CI (make test); the image build only packages.
RUN mvn -B -q -DskipTests package \
 && test -f target/stint.jar && test -d target/lib

# ---- runtime stage: JRE 17 only ------------------------------------------------------------
FROM eclipse-temurin:17-jre

RUN groupadd --system --gid 10001 stint \
 && useradd --system --uid 10001 --gid stint --no-create-home --home-dir /var/lib/stint \
      --shell /usr/sbin/nologin stint \
 && mkdir -p /opt/stint /etc/stint/policies /var/lib/stint \
 && chown stint:stint /var/lib/stint && chmod 0700 /var/lib/stint

WORKDIR /opt/stint
# stint.jar's manifest puts lib/*.jar on the class path.
COPY --from=build /src/target/lib/ /opt/stint/lib/
COPY --from=build /src/target/stint.jar /opt/stint/stint.jar
# The example policies, so the image starts on its own; mount your own over /etc/stint/policies.
COPY policies/ /etc/stint/policies/

ENV STINT_LISTEN=0.0.0.0:8080 \
    STINT_DATA_DIR=/var/lib/stint \
    STINT_POLICIES=/etc/stint/policies

USER 10001:10001
EXPOSE 8080

# Heap follows the container's memory limit; an OOM ends the process so the orchestrator restarts
# it instead of leaving a half-working JVM.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-Djava.io.tmpdir=/tmp", "-jar", "/opt/stint/stint.jar"]
CMD ["serve"]
