/* demo_petitions.c - the demo's petitions. */
