// Lets a module without sources yet still be a library target.
