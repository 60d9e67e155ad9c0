from relkit.cli import console

console()
