# syntax=docker/dockerfile:1
# One image recipe for every p2plab service (chord-node, gateway, ...). Build them all with
#   scripts/build-images.sh            (docker or podman; see docs/images.md)
# or one by hand, from the repository root after ./mvnw -B -DskipTests package:
#   docker build --build-arg SERVICE=chord-node \
#     --build-arg JAR=chord-node/target/chord-node-0.1.0-SNAPSHOT.jar -t p2plab/chord-node:0.1.0 .
#
# The JRE base is pinned by tag (readable) and digest (reproducible; the digest wins). Refresh
# both with scripts/build-images.sh --print-base-digest, see docs/images.md.
ARG JRE_IMAGE=eclipse-temurin:21-jre-noble@sha256:96975602e131485862eb8cd32927face8a06d7591a5e865944b634a701d9df72

# Stage 1: split the Spring Boot jar into its layers (dependencies change rarely, the
# application on every build), with the launcher, so that a rebuild ships only what changed.
FROM ${JRE_IMAGE} AS layers
ARG SERVICE
ARG JAR
WORKDIR /layers
COPY ${JAR} app.jar
RUN java -Djarmode=tools -jar app.jar extract --layers --launcher --destination extracted

# Stage 2: the runtime image, layers from the least to the most often changing.
FROM ${JRE_IMAGE}
ARG SERVICE
LABEL org.opencontainers.image.title="p2plab ${SERVICE}" \
      org.opencontainers.image.base.name="${JRE_IMAGE}"
# uid/gid 10001: the chart's runAsUser/fsGroup; no login, no home directory in the image
RUN groupadd --system --gid 10001 p2plab \
    && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
       --shell /usr/sbin/nologin p2plab
WORKDIR /app
COPY --from=layers /layers/extracted/dependencies/ ./
COPY --from=layers /layers/extracted/spring-boot-loader/ ./
COPY --from=layers /layers/extracted/snapshot-dependencies/ ./
COPY --from=layers /layers/extracted/application/ ./
USER 10001:10001
# Sized for containers: the heap follows the container's memory limit (the chart overrides
# these with <service>.javaOpts, which it passes as JAVA_TOOL_OPTIONS).
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=70"
# Not overridable: die on OOM so that Kubernetes restarts the pod instead of it limping on;
# temporary files in /tmp, the one writable place under a read-only root filesystem.
ENTRYPOINT ["java", "-XX:+ExitOnOutOfMemoryError", "-Djava.io.tmpdir=/tmp", "-Duser.home=/tmp", "org.springframework.boot.loader.launch.JarLauncher"]
