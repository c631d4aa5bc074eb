# syntax=docker/dockerfile:1.7
# IpIqa.Worker image: the scoring worker (ipiqa-worker) and the ipiqa command (nightly rescoring).
#
#   docker build -t ipiqa-worker:gpu .                                 # CUDA 13 + cuDNN 9, ONNX Runtime GPU
#   docker build -t ipiqa-worker:cpu --build-arg GPU=false .          # CPU only
#   docker build --build-arg MODEL_BUNDLE= -t ipiqa-worker:gpu .      # no baked bundle: mount one at /app/models/bundle
#
# The GPU image needs an NVIDIA driver >= 580 on the host (CUDA 13). See docs/deploy.md.

# GPU=true picks Microsoft.ML.OnnxRuntime.Gpu.Linux and the CUDA runtime base; false the CPU package and base.
ARG GPU=true
# Model bundle folder in the build context, copied to /app/models/bundle. Empty: nothing baked in.
ARG MODEL_BUNDLE=models/demo

ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0.100-noble
ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/aspnet:10.0.0-noble
ARG CUDA_IMAGE=nvidia/cuda:13.0.0-cudnn-runtime-ubuntu24.04
# libjpeg-turbo's TurboJPEG API, libwebp and libspng: JPEG, WebP and PNG decode faster than the ImageSharp
# fallback, and docs/deploy.md sizes CPU cores per GPU with them. `a|b` installs the first name the
# base's distribution has (build/apt-install.sh): Ubuntu 24.04's libturbojpeg, Debian 12's libturbojpeg0.
# Pin base images by digest with --build-arg, e.g. CUDA_IMAGE=nvidia/cuda@sha256:...
ARG NATIVE_DECODERS="libturbojpeg|libturbojpeg0 libwebp7 libspng0 libdeflate0"

# ---- build: the same publish script CI runs (build/publish-worker.sh) ----
FROM ${SDK_IMAGE} AS build
ARG GPU
ARG MODEL_BUNDLE
WORKDIR /src
COPY global.json Directory.Build.props Directory.Build.targets Directory.Packages.props .editorconfig ./
COPY build/ build/
COPY src/ src/
RUN --mount=type=cache,target=/root/.nuget/packages \
    bash build/publish-worker.sh /app "${GPU}"
# The bundle is copied through a bind mount so that an empty MODEL_BUNDLE needs no folder at all.
RUN --mount=type=bind,source=.,target=/context \
    mkdir -p /bundle \
    && if [ -n "${MODEL_BUNDLE}" ]; then \
         if [ ! -f "/context/${MODEL_BUNDLE}/bundle.json" ]; then \
           echo "MODEL_BUNDLE='${MODEL_BUNDLE}' has no bundle.json in the build context; pass --build-arg MODEL_BUNDLE= to mount a bundle at run time instead" >&2; \
           exit 1; \
         fi; \
         cp -r "/context/${MODEL_BUNDLE}/." /bundle/; \
       fi

# ---- the .NET and ASP.NET Core runtimes (Kestrel serves health and metrics), copied into the CUDA base (no SDK, no install script) ----
FROM ${RUNTIME_IMAGE} AS dotnet-runtime

# ---- GPU base: CUDA 13 + cuDNN 9 runtime, .NET 10 runtime, non-root user ----
FROM ${CUDA_IMAGE} AS base-gpu-true
ARG NATIVE_DECODERS
ENV APP_UID=1654 \
    DOTNET_ROOT=/usr/share/dotnet \
    DOTNET_RUNNING_IN_CONTAINER=true \
    NVIDIA_VISIBLE_DEVICES=all \
    NVIDIA_DRIVER_CAPABILITIES=compute,utility
RUN --mount=type=bind,source=build/apt-install.sh,target=/tmp/apt-install.sh \
    bash /tmp/apt-install.sh ca-certificates "libssl3t64|libssl3" zlib1g ${NATIVE_DECODERS} \
    && groupadd --gid "${APP_UID}" app \
    && useradd --uid "${APP_UID}" --gid app --no-create-home --home-dir /tmp --shell /usr/sbin/nologin app
COPY --from=dotnet-runtime /usr/share/dotnet /usr/share/dotnet
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet

# ---- CPU base: the official runtime image (it already defines APP_UID and the app user) ----
FROM dotnet-runtime AS base-gpu-false
ARG NATIVE_DECODERS
RUN --mount=type=bind,source=build/apt-install.sh,target=/tmp/apt-install.sh \
    bash /tmp/apt-install.sh ${NATIVE_DECODERS}

# ---- final image ----
FROM base-gpu-${GPU} AS final
WORKDIR /app
# Root-owned and read-only for the app user; only /tmp (a mounted emptyDir/tmpfs) is written.
COPY --from=build /app /app
COPY --from=build /bundle /app/models/bundle
ENV DOTNET_EnableDiagnostics=0 \
    TMPDIR=/tmp \
    HOME=/tmp \
    CUDA_CACHE_PATH=/tmp/.nv/ComputeCache \
    DOTNET_shutdownTimeoutSeconds=90 \
    IpIqa__Model__BundlePath=/app/models/bundle \
    IpIqa__Health__Port=8080
EXPOSE 8080
USER ${APP_UID}
# Plain bash (no curl in the image); Kubernetes and Container Apps use their own probes instead.
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${IpIqa__Health__Port:-8080} && printf 'GET /healthz/ready HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["dotnet", "/app/ipiqa-worker.dll"]
