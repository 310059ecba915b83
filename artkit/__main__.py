from artkit.cli import main

raise SystemExit(main())
