# The binary is built by CI (make release) and copied in as is.
FROM scratch

COPY ca-certificates.crt /etc/ssl/certs/
COPY bin/pg-exporter /pg-exporter

USER 65534:65534
EXPOSE 9187
ENTRYPOINT ["/pg-exporter"]
