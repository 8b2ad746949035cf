"""What a Dockerfile does, read without running it.

- :mod:`.stage`: a stage's state line by line (ENV, WORKDIR, USER, copies);
- :mod:`.commands`: what each RUN command is (install, build, setup), from
  ``migrator/data/commands.json``;
- :mod:`.packages`: system package knowledge (build-only packages, runtime
  libraries, base images) from the data files in ``migrator/data``;
- :mod:`.gain`: what a split would take out of the runtime image;
- :mod:`.full_image`: whether a full base image can move to its slim sibling;
- :mod:`.node`: a Node stage's package manager, start command and build.

The transforms ask these modules; none of them edits a file.
"""
