FROM continuumio/miniconda3:24.1.2-0

WORKDIR /app

# the geo stack (gdal, rasterio, pyproj) is far easier from conda-forge than from pip
COPY environment.yml .
RUN conda env create -f environment.yml && conda clean -afy

# Make RUN commands use the new environment
SHELL ["conda", "run", "-n", "floodmap", "/bin/bash", "-c"]

COPY . .
RUN pip install --no-deps -e .

EXPOSE 8050
ENTRYPOINT ["conda", "run", "--no-capture-output", "-n", "floodmap", "python", "-m", "floodmap.dashboard"]
