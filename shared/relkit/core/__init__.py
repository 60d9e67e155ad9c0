"""Pure core: data in, data out. No environment, subprocess, files, network or clock."""
