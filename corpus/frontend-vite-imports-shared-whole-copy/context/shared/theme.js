export const brand = '#336699'
