"""Platform base spiders: what a shop platform guarantees, whatever the theme (as alltheplaces' store
finders). A vendor spider subclasses one and adds its configuration and its real quirks."""
