"""`make bench-load`: the web tier scaled out and loaded, then a node killed (see __main__)."""
