import Grid from '@material-ui/core/Grid';
import TextField from '@material-ui/core/TextField';
import {
  apiCategories,
  apiProductStatuses,
} from '@portico/plugin-api-marketplace-common';

/** What the marketplace list is filtered by; empty strings mean "any". */
export type MarketplaceFilterValues = {
  search: string;
  category: string;
  status: string;
  tag: string;
};

export const emptyFilters: MarketplaceFilterValues = {
  search: '',
  category: '',
  status: '',
  tag: '',
};

function SelectFilter(props: {
  label: string;
  value: string;
  options: readonly string[];
  onChange: (value: string) => void;
}) {
  const { label, value, options, onChange } = props;
  const id = `api-marketplace-filter-${label.toLocaleLowerCase('en-US')}`;
  return (
    <TextField
      select
      fullWidth
      id={id}
      label={label}
      variant="outlined"
      size="small"
      value={value}
      onChange={e => onChange(e.target.value)}
      SelectProps={{ native: true }}
      InputLabelProps={{ shrink: true }}
    >
      <option value="">All</option>
      {options.map(option => (
        <option key={option} value={option}>
          {option}
        </option>
      ))}
    </TextField>
  );
}

/** Search box plus category, status and tag selects. */
export function MarketplaceFilters(props: {
  values: MarketplaceFilterValues;
  tags: string[];
  onChange: (values: MarketplaceFilterValues) => void;
}) {
  const { values, tags, onChange } = props;
  const set = (key: keyof MarketplaceFilterValues) => (value: string) =>
    onChange({ ...values, [key]: value });
  return (
    <Grid container spacing={2}>
      <Grid item xs={12} md={6}>
        <TextField
          fullWidth
          type="search"
          label="Search"
          placeholder="Name, description or tag"
          variant="outlined"
          size="small"
          value={values.search}
          onChange={e => set('search')(e.target.value)}
          inputProps={{ 'aria-label': 'Search APIs' }}
        />
      </Grid>
      <Grid item xs={4} md={2}>
        <SelectFilter
          label="Category"
          value={values.category}
          options={apiCategories}
          onChange={set('category')}
        />
      </Grid>
      <Grid item xs={4} md={2}>
        <SelectFilter
          label="Status"
          value={values.status}
          options={apiProductStatuses}
          onChange={set('status')}
        />
      </Grid>
      <Grid item xs={4} md={2}>
        <SelectFilter
          label="Tag"
          value={values.tag}
          options={tags}
          onChange={set('tag')}
        />
      </Grid>
    </Grid>
  );
}
