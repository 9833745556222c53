import { defineConfig } from 'kiln';

export default defineConfig({
  // DATABASE_URL, when set, wins over this. SQLAlchemy-style URLs:
  //   sqlite:///data.db   postgresql://user:pass@host:5432/db   mysql://user:pass@host:3306/db
  database: 'sqlite:///data.db',
  models: 'models',
  migrations: 'migrations',
  seeds: 'seeds',
});
